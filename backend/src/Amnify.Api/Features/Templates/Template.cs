using System.Text.Json;
using System.Text.Json.Serialization;
using Amnify.Api.Features.Providers;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Templates;

/// <summary>A template as the catalogue shows it: its current version's variables and files.</summary>
public sealed record Template
{
    public required string Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>infrastructure, application, database or combo.</summary>
    public required string Category { get; init; }
    public string? Icon { get; init; }
    /// <summary>The content hash of the current version.</summary>
    public required string Version { get; init; }
    public required TemplateVariable[] Variables { get; init; }
    /// <summary>The outputs its .tf files declare; a later pipeline step can take them as variables.</summary>
    public required TemplateOutput[] Outputs { get; init; }
    public required string[] Files { get; init; }
    /// <summary>Gone from the source at the last sync; existing deployments keep working, new ones cannot use it.</summary>
    public required bool Removed { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How variables are kept in template_versions.variables.</summary>
    internal static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal const string Select = """
        SELECT t.id, t.provider, t.name, t.description, t.category, t.icon, v.content_hash AS version,
               v.variables, v.outputs,
               ARRAY(SELECT jsonb_object_keys(v.files) ORDER BY 1) AS files,
               t.removed_at IS NOT NULL AS removed, t.updated_at
        FROM templates t JOIN template_versions v ON v.id = t.current_version_id
        """;

    internal static Task<Template?> Load(NpgsqlConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Template>(new CommandDefinition($"{Select} WHERE t.id = @id", new { id }, cancellationToken: cancellationToken));

    internal static TemplateVariable[] ReadVariables(string json) =>
        JsonSerializer.Deserialize<TemplateVariable[]>(json, StorageJson)!;
}
