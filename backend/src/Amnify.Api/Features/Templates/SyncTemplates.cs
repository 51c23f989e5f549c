using Amnify.Api.Auth;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Templates;

/// <summary>Imports every valid template of the source as a new version; reports the rest with their reasons.</summary>
[CanFail(FailureKind.Unusable)]
public sealed record SyncTemplates : ICommand<Result<TemplateSyncResult>>;

public sealed record TemplateSyncResult(
    string[] Imported, string[] Updated, string[] Unchanged, string[] Removed, RejectedTemplate[] Rejected);

/// <summary>A template folder that was not imported, with every reason.</summary>
public sealed record RejectedTemplate(string Path, string[] Reasons);

public sealed class SyncTemplatesHandler(Db db, TemplateSource source, AuditTrail audit) : ICommandHandler<SyncTemplates, Result<TemplateSyncResult>>
{
    private const long MaxTemplateBytes = 2 * 1024 * 1024;

    // Two syncs at once would race on the same rows; they take turns instead.
    private const string TakeTurn = "SELECT pg_advisory_xact_lock(hashtext('amnify:template-sync'))";

    private const string Existing = "SELECT id, provider, current_version_id, removed_at IS NOT NULL AS removed FROM templates";

    private const string Upsert = """
        INSERT INTO templates (id, provider, name, description, category, icon)
        VALUES (@Id, @Provider, @Name, @Description, @Category, @Icon)
        ON CONFLICT (id) DO UPDATE SET
            name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
            icon = EXCLUDED.icon, removed_at = NULL, updated_at = now()
        """;

    private const string FindVersion = "SELECT id FROM template_versions WHERE template_id = @Id AND content_hash = @Hash";

    private const string InsertVersion = """
        INSERT INTO template_versions (id, template_id, content_hash, variables, outputs, files)
        VALUES (@VersionId, @Id, @Hash, @Variables::jsonb, @Outputs::jsonb, @Files::jsonb)
        """;

    // A version stored before outputs were read (M0010) learns them at its next sync; the content is the same.
    private const string RecordOutputs = "UPDATE template_versions SET outputs = @Outputs::jsonb WHERE id = @VersionId AND outputs <> @Outputs::jsonb";

    private const string MakeCurrent = "UPDATE templates SET current_version_id = @VersionId, updated_at = now() WHERE id = @Id";

    private const string MarkRemoved = """
        UPDATE templates SET removed_at = now(), updated_at = now()
        WHERE removed_at IS NULL AND NOT (id = ANY(@Seen))
        RETURNING id
        """;

    // A new version may require a variable a deployment has no value for: it then needs configuration.
    private const string RecheckDeployments = """
        UPDATE deployments d SET missing_variables = ARRAY(
            SELECT v->>'name' FROM template_versions tv, jsonb_array_elements(tv.variables) v
            WHERE tv.id = t.current_version_id AND (v->>'required')::boolean AND NOT v ? 'default'
              AND NOT d.variables ? (v->>'name') AND NOT (v->>'name') = ANY(d.sensitive_keys)
            ORDER BY 1)
        FROM templates t
        WHERE t.id = d.template_id AND t.id = ANY(@Ids)
        """;

    public async ValueTask<Result<TemplateSyncResult>> Handle(SyncTemplates command, CancellationToken cancellationToken)
    {
        var (root, error) = await source.Fetch(cancellationToken);
        if (root is null) return Failure.Unusable(error!);

        var tree = SourceTree.Open(root);
        if (tree is null) return Failure.Unusable("The template source is not a folder.");
        SourceContents contents;
        try
        {
            contents = Read(tree);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder the server cannot list: sync nothing rather than take its templates for removed.
            return Failure.Unusable("A folder of the template source cannot be read by the server; nothing was synced.");
        }
        var (found, rejected, seen) = contents;

        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TakeTurn, transaction: transaction, cancellationToken: cancellationToken));
        var existing = (await connection.QueryAsync<(string Id, string Provider, Guid? CurrentVersionId, bool Removed)>(new CommandDefinition(
            Existing, transaction: transaction, cancellationToken: cancellationToken))).ToDictionary(t => t.Id);

        List<string> imported = [], updated = [], unchanged = [];
        foreach (var (path, manifest, files, hash) in found)
        {
            var provider = manifest.Provider.Code();
            if (existing.TryGetValue(manifest.Id, out var known) && known.Provider != provider)
            {
                rejected.Add(new RejectedTemplate(path, [$"id: '{manifest.Id}' already belongs to a {known.Provider} template."]));
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(Upsert, new
            {
                manifest.Id, Provider = provider, manifest.Name, manifest.Description, manifest.Category, manifest.Icon,
            }, transaction, cancellationToken: cancellationToken));
            var versionId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(FindVersion, new { manifest.Id, Hash = hash }, transaction, cancellationToken: cancellationToken));
            var outputs = JsonSerializer.Serialize(manifest.Outputs, Template.StorageJson);
            if (versionId is not null)
                await connection.ExecuteAsync(new CommandDefinition(RecordOutputs, new { VersionId = versionId, Outputs = outputs }, transaction, cancellationToken: cancellationToken));
            else
            {
                versionId = Guid.CreateVersion7();
                await connection.ExecuteAsync(new CommandDefinition(InsertVersion, new
                {
                    VersionId = versionId, manifest.Id, Hash = hash,
                    Variables = JsonSerializer.Serialize(manifest.Variables, Template.StorageJson), Outputs = outputs,
                    Files = JsonSerializer.Serialize(files),
                }, transaction, cancellationToken: cancellationToken));
            }
            if (known.Id is null) imported.Add(manifest.Id);
            else if (known.CurrentVersionId == versionId && !known.Removed) unchanged.Add(manifest.Id);
            else updated.Add(manifest.Id);
            await connection.ExecuteAsync(new CommandDefinition(MakeCurrent, new { VersionId = versionId, manifest.Id }, transaction, cancellationToken: cancellationToken));
        }

        var removed = (await connection.QueryAsync<string>(new CommandDefinition(MarkRemoved, new { Seen = seen.ToArray() }, transaction, cancellationToken: cancellationToken))).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(RecheckDeployments, new { Ids = updated.ToArray() }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "template.sync", "template", null,
            $"{imported.Count} imported, {updated.Count} updated, {removed.Length} removed, {rejected.Count} rejected");
        await transaction.CommitAsync(cancellationToken);

        return new TemplateSyncResult(
            imported.Order().ToArray(), updated.Order().ToArray(), unchanged.Order().ToArray(), removed.Order().ToArray(),
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Reads every folder under templates/. <c>seen</c> holds each id the source still has, valid or not:
    /// a template whose new manifest is broken keeps its last good version instead of being removed.
    /// </summary>
    private sealed record SourceContents(
        List<(string Path, TemplateManifest Manifest, SortedDictionary<string, string> Files, string Hash)> Found,
        List<RejectedTemplate> Rejected, HashSet<string> Seen);

    private SourceContents Read(SourceTree tree)
    {
        var found = new List<(string, TemplateManifest, SortedDictionary<string, string>, string)>();
        var rejected = new List<RejectedTemplate>();
        var seen = new HashSet<string>();
        var ids = new Dictionary<string, string>();
        var (templatesDir, problem) = tree.Folder(tree.Root, "templates");
        if (templatesDir is null) return new(found, [new RejectedTemplate("templates/", [problem ?? "The source has no templates/ folder."])], seen);

        foreach (var (provider, providerDir, providerProblem) in tree.Folders(templatesDir))
        {
            if (providerDir is null)
            {
                rejected.Add(new RejectedTemplate($"templates/{provider}", [providerProblem!]));
                continue;
            }
            foreach (var (name, dir, dirProblem) in tree.Folders(providerDir))
            {
                var path = $"templates/{provider}/{name}";
                if (dir is null)
                {
                    rejected.Add(new RejectedTemplate(path, [dirProblem!]));
                    continue;
                }
                if (CloudProviders.Parse(provider) is null)
                {
                    rejected.Add(new RejectedTemplate(path, [$"'{provider}' is not a provider folder (aws, azure or gcp)."]));
                    continue;
                }
                var (files, problems) = tree.ReadFiles(dir, source.MaxFileBytes, MaxTemplateBytes);
                if (files.TryGetValue("template.json", out var json) && ReadId(json) is { } id) seen.Add(id);
                if (problems.Count == 0 && json is null) problems.Add("No template.json.");
                if (problems.Count > 0)
                {
                    rejected.Add(new RejectedTemplate(path, problems.ToArray()));
                    continue;
                }

                var (manifest, errors) = TemplateManifest.Parse(
                    json!, provider, files.Where(f => f.Key.EndsWith(".tf", StringComparison.Ordinal)).Select(f => f.Value).ToList());
                if (manifest is not null && ids.TryGetValue(manifest.Id, out var other))
                    errors.Add($"id: '{manifest.Id}' is also used by {other}.");
                if (manifest is null || errors.Count > 0)
                {
                    rejected.Add(new RejectedTemplate(path, errors.ToArray()));
                    continue;
                }
                ids[manifest.Id] = path;
                found.Add((path, manifest, files, Hash(files)));
            }
        }
        return new(found, rejected, seen);
    }

    private static string? ReadId(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString() is { } text && TemplateManifest.IsValidId(text) ? text : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // InvalidOperation: an escaped lone surrogate
        {
            return null;
        }
    }

    private static string Hash(SortedDictionary<string, string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}\0{content.Length}\0"));
            sha.AppendData(Encoding.UTF8.GetBytes(content));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

public static class SyncTemplatesEndpoint
{
    public static async Task<Results<Ok<TemplateSyncResult>, ProblemHttpResult>> Handle(ISender sender, CancellationToken ct) =>
        (await sender.Send(new SyncTemplates(), ct)).Match(TypedResults.Ok);
}
