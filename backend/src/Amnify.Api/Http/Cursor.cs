using System.Buffers.Text;
using System.Text.Json;
using FluentValidation;

namespace Amnify.Api.Http;

/// <summary>
/// The opaque keyset position of a list: the sort key and id of the last item served.
/// Clients see base64url text; only the server reads it.
/// </summary>
public sealed record Cursor(string Key, string Id)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static Cursor? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(text)) is { Key: not null, Id: not null } cursor ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>True for no cursor, or one this server made (with a GUID id where the list's ids are GUIDs).</summary>
    public static bool IsValid(string? text, bool guidIds = true) =>
        string.IsNullOrEmpty(text) || Decode(text) is { } c && (!guidIds || Guid.TryParse(c.Id, out _));

    /// <summary>Builds the page from <paramref name="limit"/> + 1 rows fetched: the extra row only says there is more.</summary>
    public static Page<T> Paginate<T>(IReadOnlyList<T> rows, int limit, Func<T, Cursor> position) =>
        rows.Count > limit
            ? new Page<T>(rows.Take(limit).ToList(), position(rows[limit - 1]).Encode())
            : new Page<T>(rows, null);
}

public static class ListRules
{
    /// <summary>The rules every list query shares: a limit in range and a cursor this server made.</summary>
    public static void AddListRules<T>(this AbstractValidator<T> validator, Func<T, int> limit, Func<T, string?> cursor, bool guidIds = true)
    {
        validator.RuleFor(x => limit(x)).InclusiveBetween(1, Cursor.MaxLimit).OverridePropertyName("limit");
        validator.RuleFor(x => cursor(x)).Must(c => Cursor.IsValid(c, guidIds))
            .WithMessage("The cursor is not valid; pass back the nextCursor of a previous page.")
            .OverridePropertyName("cursor");
    }
}
