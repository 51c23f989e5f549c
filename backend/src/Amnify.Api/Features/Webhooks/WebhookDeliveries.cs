using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Webhooks;

/// <summary>Loads deliveries with their attempt logs, in two queries whatever their number.</summary>
internal static class WebhookDeliveries
{
    private sealed record Row
    {
        public required Guid Id { get; init; }
        public required Guid EventId { get; init; }
        public required string EventType { get; init; }
        public required string Status { get; init; }
        public required int Attempts { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public required DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? DeliveredAt { get; init; }
    }

    private sealed record AttemptRow
    {
        public required Guid DeliveryId { get; init; }
        public required int Attempt { get; init; }
        public required DateTimeOffset At { get; init; }
        public int? StatusCode { get; init; }
        public string? Error { get; init; }
        public required int DurationMs { get; init; }
    }

    public static async Task<List<WebhookDelivery>> Load(
        NpgsqlConnection connection, string where, object parameters, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"{WebhookDelivery.Select} {where}", parameters, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0) return [];
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(WebhookDelivery.SelectAttempts,
            new { Ids = rows.Select(r => r.Id).ToArray() }, transaction, cancellationToken: cancellationToken))).ToLookup(a => a.DeliveryId);
        return rows.Select(r => new WebhookDelivery
        {
            Id = r.Id, EventId = r.EventId, EventType = r.EventType, Status = r.Status, Attempts = r.Attempts,
            NextAttemptAt = r.NextAttemptAt, CreatedAt = r.CreatedAt, DeliveredAt = r.DeliveredAt,
            Log = attempts[r.Id].Select(a => new WebhookAttempt
            {
                Attempt = a.Attempt, At = a.At, StatusCode = a.StatusCode, Error = a.Error, DurationMs = a.DurationMs,
            }).ToArray(),
        }).ToList();
    }
}
