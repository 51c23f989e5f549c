using System.ComponentModel.DataAnnotations;
namespace Amnify.Api.Features.Access;

/// <summary>An API token as listed: never its value, only the first characters to recognise it.</summary>
public sealed record ApiToken
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    /// <summary>personal (acts with the owner's role) or pipeline (triggers and reads one pipeline's runs, for CI).</summary>
    [AllowedValues("personal", "pipeline")]
    public required string Kind { get; init; }
    public Guid? PipelineId { get; init; }
    public required string Owner { get; init; }
    public required string Prefix { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    internal const string Select = """
        SELECT t.id, t.name, t.kind, t.pipeline_id, u.email AS owner, t.prefix, t.expires_at, t.last_used_at, t.revoked_at, t.created_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        """;
}

/// <summary>The answer to creating a token: the only time its value is shown.</summary>
public sealed record CreatedApiToken(string Token, ApiToken ApiToken);
