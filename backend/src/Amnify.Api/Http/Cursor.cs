using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using FluentValidation;

namespace Amnify.Api.Http;

/// <summary>
/// The opaque keyset position of a list: the sort key and id of the last item served.
/// Clients see base64url text; only the server reads it, and it reads only what it could have made.
/// </summary>
public sealed record Cursor(string Key, string Id)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>The position in <paramref name="text"/>, or null when it is not one (never throws: the text comes from anyone).</summary>
    public static Cursor? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(text)) is { Key: not null, Id: not null } cursor
                && !cursor.Key.Contains('\0') && !cursor.Id.Contains('\0') ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True for no cursor, or one this server made for a list sorted by <paramref name="key"/> with GUID ids (unless told).</summary>
    public static bool IsValid(string? text, CursorKey key = CursorKey.Name, bool guidIds = true) =>
        string.IsNullOrEmpty(text) || Decode(text) is { } c && (!guidIds || Guid.TryParse(c.Id, out _)) && key switch
        {
            CursorKey.Name => true,
            // Exactly what Instant writes: PostgreSQL reads it back, where a looser form such as "12:00" fails there.
            CursorKey.Instant => DateTimeOffset.TryParseExact(c.Key, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            CursorKey.Number => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => c.Key.Length == 0,
        };

    /// <summary>The key of a list sorted by time, as <see cref="CursorKey.Instant"/> expects it.</summary>
    public static string Instant(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Builds the page from <paramref name="limit"/> + 1 rows fetched: the extra row only says there is more.</summary>
    public static Page<T> Paginate<T>(IReadOnlyList<T> rows, int limit, Func<T, Cursor> position) =>
        rows.Count > limit
            ? new Page<T>(rows.Take(limit).ToList(), position(rows[limit - 1]).Encode())
            : new Page<T>(rows, null);
}

/// <summary>What the key of a list's cursor holds.</summary>
public enum CursorKey
{
    /// <summary>The last row's name (or email) as stored; SQL folds it with <see cref="NameOrder"/>.</summary>
    Name,
    /// <summary>A timestamp in round-trip ("O") form.</summary>
    Instant,
    /// <summary>A whole number, such as a run number.</summary>
    Number,
    /// <summary>Nothing: the id alone orders the list.</summary>
    None,
}

/// <summary>
/// How every list sorted by name orders and compares, in one place. The database alone folds and compares:
/// C# once lower-cased the cursor with its own Unicode rules while PostgreSQL's lower() in the C locale
/// folds ASCII only, so rows whose names began with É or Ö fell between two pages. The key is
/// <c>lower(name COLLATE "C")</c>: ASCII letters folded, then byte order, the same on every server whatever its
/// locale. The cursor holds the last row's name as stored and SQL folds it with the same expression, so both
/// sides of the keyset comparison are computed by one function.
/// </summary>
public static class NameOrder
{
    /// <summary>The cursor's side of <c>(lower(name COLLATE "C"), id) &gt; (…, @AfterId)</c>.</summary>
    public const string AfterKey = """lower(@AfterKey::text COLLATE "C")""";
}

public static class ListRules
{
    /// <summary>The rules every list query shares: a limit in range and a cursor this server made for that list.</summary>
    public static void AddListRules<T>(this AbstractValidator<T> validator, Func<T, int> limit, Func<T, string?> cursor,
        bool guidIds = true, CursorKey key = CursorKey.Name)
    {
        validator.RuleFor(x => limit(x)).InclusiveBetween(1, Cursor.MaxLimit).OverridePropertyName("limit");
        validator.RuleFor(x => cursor(x)).Must(c => Cursor.IsValid(c, key, guidIds))
            .WithMessage("The cursor is not valid; pass back the nextCursor of a previous page.")
            .OverridePropertyName("cursor");
    }
}
