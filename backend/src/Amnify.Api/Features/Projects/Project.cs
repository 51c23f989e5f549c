using Amnify.Api.Features.Providers;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Projects;

/// <summary>A project organises deployments of one provider; it runs nothing itself.</summary>
public sealed record Project
{
    public required Guid Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string[] Tags { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    internal const string Columns = "id, provider, name, description, tags, created_at, updated_at";

    internal static Task<Project?> Load(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Project>(new CommandDefinition($"SELECT {Columns} FROM projects WHERE id = @id", new { id }, cancellationToken: cancellationToken));
}
