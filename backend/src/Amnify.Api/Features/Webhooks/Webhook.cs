namespace Amnify.Api.Features.Webhooks;

/// <summary>An endpoint events are sent to, signed with its secret (never shown after it was created).</summary>
public sealed record Webhook
{
    public required Guid Id { get; init; }
    public required string Url { get; init; }
    public required string Description { get; init; }
    /// <summary>The event types sent; empty means every type.</summary>
    public required string[] EventTypes { get; init; }
    public required bool Enabled { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    internal const string Select = "SELECT id, url, description, event_types, enabled, created_by, created_at FROM webhook_endpoints";
}

/// <summary>A new endpoint with its signing secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhook(string Secret, Webhook Webhook);

/// <summary>The types of events (the <c>type</c> of each message), as M0012's triggers write them.</summary>
public static class WebhookEventTypes
{
    /// <summary>A deployment run was created or changed status.</summary>
    public const string DeploymentRunStatus = "deploymentRun.status";
    /// <summary>A pipeline run was created or changed status or current step.</summary>
    public const string PipelineRunStatus = "pipelineRun.status";
    /// <summary>A pipeline-run step, or its deployment run, changed status.</summary>
    public const string PipelineRunStep = "pipelineRun.step";
    /// <summary>A deployment run waits for a person's approval (plan or apply).</summary>
    public const string ApprovalRequired = "approval.required";

    public static readonly string[] All = [DeploymentRunStatus, PipelineRunStatus, PipelineRunStep, ApprovalRequired];
}

/// <summary>One event on its way to one endpoint, with every attempt made.</summary>
public sealed record WebhookDelivery
{
    public required Guid Id { get; init; }
    /// <summary>The event's id: the <c>webhook-id</c> header, the same on every attempt, so receivers can drop repeats.</summary>
    public required Guid EventId { get; init; }
    public required string EventType { get; init; }
    /// <summary>pending (more attempts to come), delivered (answered 2xx) or failed (out of attempts).</summary>
    public required string Status { get; init; }
    public required int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public required WebhookAttempt[] Log { get; init; }

    internal const string Select = """
        SELECT d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts,
               CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.created_at, d.delivered_at
        FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
        """;

    internal const string SelectAttempts = """
        SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM webhook_attempts
        WHERE delivery_id = ANY(@Ids) ORDER BY attempt
        """;
}

/// <summary>One try: the status the receiver answered (none when it could not be reached), or what went wrong, and how long it took.</summary>
public sealed record WebhookAttempt
{
    public required int Attempt { get; init; }
    public required DateTimeOffset At { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public required int DurationMs { get; init; }
}
