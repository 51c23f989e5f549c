using Dapper;
using Npgsql;

namespace Amnify.Api.Auth;

/// <summary>Writes who did what, to what, when and from where — inside the transaction of the change itself.</summary>
public sealed class AuditTrail(IHttpContextAccessor http)
{
    private const string Insert = """
        INSERT INTO audit_events (id, actor, action, resource_type, resource_id, details, source_ip)
        VALUES (@Id, @Actor, @Action, @ResourceType, @ResourceId, @Details, @SourceIp)
        """;

    public string Actor => http.HttpContext is { } context ? Auth.Actor.From(context).Name : "system";

    /// <summary>Cancelled with the request it records (nothing to cancel with outside one, e.g. the sync at start-up).</summary>
    public Task Record(NpgsqlConnection connection, NpgsqlTransaction transaction, string action, string resourceType, object? resourceId,
        string? details = null, string? actor = null)
    {
#if DEBUG
        if (!AuditActions.IsKnown(action)) throw new InvalidOperationException($"The audit action {action} is not listed in AuditActions.All.");
#endif
        return connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = Guid.CreateVersion7(),
            Actor = actor ?? Actor,
            Action = action,
            ResourceType = resourceType,
            ResourceId = resourceId?.ToString(),
            Details = details,
            SourceIp = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        }, transaction, cancellationToken: http.HttpContext?.RequestAborted ?? CancellationToken.None));
    }
}
