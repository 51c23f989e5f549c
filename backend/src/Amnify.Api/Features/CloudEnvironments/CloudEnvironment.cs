using System.Text.Json;
using Amnify.Api.Engine;
using Amnify.Api.Features.Providers;
using Amnify.Api.Secrets;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Amnify.Api.Features.CloudEnvironments;

/// <summary>
/// Where deployments run: an account, subscription or project of one provider, with its credentials.
/// Credentials are write-only; the API only says which ones are set.
/// </summary>
public sealed record CloudEnvironment
{
    public required Guid Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required string AccountId { get; init; }
    /// <summary>The names of the credentials that are set; their values are never returned.</summary>
    public required string[] CredentialKeys { get; init; }
    /// <summary>Who may approve this environment's runs and how many must (a deployment may only tighten it); set by admins.</summary>
    public required ApprovalPolicy ApprovalPolicy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    internal const string Columns = "id, provider, name, region, account_id, credential_keys, approval_policy, created_at, updated_at";

    internal static Task<CloudEnvironment?> Load(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<CloudEnvironment>(new CommandDefinition(
            $"SELECT {Columns} FROM cloud_environments WHERE id = @id", new { id }, cancellationToken: cancellationToken));
}

/// <summary>How credentials are checked, sealed and opened; the only code that sees their values.</summary>
internal static class Credentials
{
    public const int MaxCount = 50;
    public const int MaxValue = 8192;

    public static bool IsVariableName(string key) =>
        key.Length is > 0 and <= 128 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Every key a valid environment variable name; values non-empty when <paramref name="allowNull"/> is false.</summary>
    public static void CredentialMap<T>(this IRuleBuilderInitial<T, Dictionary<string, string?>?> rule, bool allowNull)
    {
        rule.Must(c => c is null || c.Count <= MaxCount).WithMessage($"At most {MaxCount} credentials.");
        rule.Custom((map, context) =>
        {
            foreach (var (key, value) in map ?? [])
            {
                var field = $"credentials.{key}";
                if (!IsVariableName(key))
                    context.AddFailure(field, "Credential names must be environment variable names (letters, digits and _, not starting with a digit).");
                else if (value is null && !allowNull)
                    context.AddFailure(field, "A credential needs a value.");
                else if (value is not null && (value.Length == 0 || value.Length > MaxValue))
                    context.AddFailure(field, $"A credential value must be 1 to {MaxValue} characters.");
            }
        });
    }

    public static byte[]? Seal(SecretBox box, IReadOnlyDictionary<string, string> values, Guid owner) =>
        values.Count == 0 ? null : box.Seal(JsonSerializer.Serialize(values), owner);

    public static Dictionary<string, string> Open(SecretBox box, byte[]? sealedValues, Guid owner) =>
        sealedValues is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(box.Open(sealedValues, owner))!;
}
