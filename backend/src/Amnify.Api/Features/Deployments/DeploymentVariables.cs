using System.Text.Json;
using Amnify.Api.Failures;
using Amnify.Api.Features.Templates;
using Amnify.Api.Secrets;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Deployments;

/// <summary>
/// A deployment's variable values checked against its template and split for storage: plain values in
/// <c>deployments.variables</c>, sensitive ones sealed in <c>deployments.sensitive_encrypted</c>.
/// </summary>
internal sealed record DeploymentVariables(Dictionary<string, JsonElement> Plain, Dictionary<string, JsonElement> Sensitive)
{
    /// <summary>What creating or editing a deployment needs to know of its template and environment.</summary>
    internal sealed record Context(string Provider, bool Removed, string VariablesJson)
    {
        public TemplateVariable[] Variables => Template.ReadVariables(VariablesJson);
    }

    private const string TemplateContext = """
        SELECT t.provider, t.removed_at IS NOT NULL AS removed, v.variables::text AS variables_json
        FROM templates t JOIN template_versions v ON v.id = t.current_version_id WHERE t.id = @id
        """;

    public static Task<Context?> LoadTemplate(NpgsqlConnection connection, string id, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Context>(new CommandDefinition(TemplateContext, new { id }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Checks <paramref name="values"/> (null values mean "no value") against <paramref name="declared"/>,
    /// filling <c>region</c> from the cloud environment when the template declares it and none is given.
    /// Otherwise an <see cref="FailureKind.Invalid"/> failure naming every bad field (<c>variables.&lt;name&gt;…</c>).
    /// </summary>
    public static Result<DeploymentVariables> Resolve(
        IReadOnlyList<TemplateVariable> declared, Dictionary<string, JsonElement> values, string environmentRegion)
    {
        var given = values.Where(v => v.Value.ValueKind != JsonValueKind.Null && !(v.Value.ValueKind == JsonValueKind.String && v.Value.GetString() == ""))
            .ToDictionary(v => v.Key, v => v.Value);
        if (declared.Any(v => v.Name == "region") && !given.ContainsKey("region"))
            given["region"] = JsonSerializer.SerializeToElement(environmentRegion);

        var problems = VariableValues.Check(declared, given);
        if (problems.Count > 0)
            return Failure.Invalid(problems.GroupBy(p => $"variables.{p.Field}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).Distinct().ToArray()));

        var sensitive = declared.Where(v => v.Sensitive).Select(v => v.Name).ToHashSet();
        return new DeploymentVariables(
            given.Where(v => !sensitive.Contains(v.Key)).ToDictionary(),
            given.Where(v => sensitive.Contains(v.Key)).ToDictionary());
    }

    public byte[]? SealSensitive(SecretBox box, Guid deploymentId) =>
        Sensitive.Count == 0 ? null : box.Seal(JsonSerializer.Serialize(Sensitive), deploymentId);

    public static Dictionary<string, JsonElement> OpenSensitive(SecretBox box, byte[]? sealedValues, Guid deploymentId) =>
        sealedValues is null ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(box.Open(sealedValues, deploymentId))!;

    public string PlainJson => JsonSerializer.Serialize(Plain);

    public string[] SensitiveKeys => Sensitive.Keys.Order(StringComparer.Ordinal).ToArray();
}
