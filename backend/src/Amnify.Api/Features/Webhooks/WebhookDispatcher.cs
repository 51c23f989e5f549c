using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amnify.Api.Secrets;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.Api.Features.Webhooks;

/// <summary>
/// Delivers the webhook outbox from the worker role. Each delivery is claimed with <c>FOR UPDATE SKIP LOCKED</c> in a
/// transaction that stays open while the request is made and records its outcome before it commits: no two workers
/// send one delivery at once, a worker that dies mid-request releases it for the others at once (no lease to wait
/// out), and one that stops lets the requests it has begun finish and be recorded, so a restart sends nothing twice.
/// The request is signed per Standard Webhooks; 2xx is delivered, anything else (a redirect too: they are not
/// followed) is tried again on <see cref="WebhookBackoff"/>'s schedule until it runs out. Connections go only to
/// addresses <see cref="WebhookAddresses"/> allows, resolved at connect time.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    private const string Claim = """
        SELECT d.id, d.attempts, e.id AS event_id, e.type, e.data::text AS data, e.at, w.id AS endpoint_id, w.url, w.secret_encrypted
        FROM webhook_deliveries d JOIN events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at
        LIMIT 1
        FOR UPDATE OF d SKIP LOCKED
        """;

    private const string Record = """
        INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES (@Id, @Attempt, @StatusCode, @Error, @DurationMs);
        UPDATE webhook_deliveries SET attempts = @Attempt, status = @Status,
            -- From the answer, not from the claim: a Retry-After counts from when it was said.
            next_attempt_at = CASE WHEN @Status = 'pending' THEN clock_timestamp() + make_interval(secs => @WaitSeconds) ELSE next_attempt_at END,
            delivered_at = CASE WHEN @Status = 'delivered' THEN clock_timestamp() ELSE delivered_at END
        WHERE id = @Id;
        """;

    private sealed record Due
    {
        public required Guid Id { get; init; }
        public required int Attempts { get; init; }
        public required Guid EventId { get; init; }
        public required string Type { get; init; }
        public required string Data { get; init; }
        public required DateTimeOffset At { get; init; }
        public required Guid EndpointId { get; init; }
        public required string Url { get; init; }
        public required byte[] SecretEncrypted { get; init; }
    }

    private sealed record Outcome(Guid Id, int Attempt, int? StatusCode, string? Error, int DurationMs, string Status, double WaitSeconds);

    private readonly NpgsqlDataSource dataSource;
    private readonly SecretBox secrets;
    private readonly WebhookOptions options;
    private readonly TimeSpan[] schedule;
    private readonly TimeProvider time;
    private readonly ILogger<WebhookDispatcher> log;
    private readonly HttpClient http;

    public WebhookDispatcher(NpgsqlDataSource dataSource, SecretBox secrets, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> log)
    {
        (this.dataSource, this.secrets, this.options, this.time, this.log) = (dataSource, secrets, options.Value, time, log);
        schedule = this.options.RetryDelays();
        var allowPrivate = this.options.AllowPrivateNetworks;
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await WebhookAddresses.Usable(context.DnsEndPoint.Host, allowPrivate, ct);
                if (addresses.Length == 0)
                    throw new HttpRequestException($"{context.DnsEndPoint.Host} does not resolve, or only to addresses webhooks may not be sent to.");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Amnify-Webhooks/1");
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => Deliver(stoppingToken)));

    private async Task Deliver(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool delivered;
            try
            {
                delivered = await DeliverOne(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                log.LogWarning("Webhook delivery paused: the database is away ({Message})", e.Message);
                delivered = false;
            }
            catch (Exception e)
            {
                // Never the end of delivery for every endpoint: this one is tried again on the next round.
                log.LogError(e, "Webhook delivery failed unexpectedly");
                delivered = false;
            }
            if (delivered) continue;
            try { await Task.Delay(options.PollMilliseconds, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Sends one due delivery; false when none is due.</summary>
    private async Task<bool> DeliverOne(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
        var due = await connection.QuerySingleOrDefaultAsync<Due>(new CommandDefinition(Claim, transaction: transaction, cancellationToken: stoppingToken));
        if (due is null) return false;

        // From here on the request and its record finish even when the worker is stopping: the host waits for them.
        Outcome outcome;
        try
        {
            outcome = await Send(due);
        }
        catch (CryptographicException)
        {
            // Sealed under another Secrets:Key: no attempt can succeed, and none is made.
            outcome = new Outcome(due.Id, due.Attempts + 1, null, "The endpoint's secret cannot be opened with this Secrets:Key.", 0, "failed", 0);
        }
        await connection.ExecuteAsync(new CommandDefinition(Record, outcome, transaction));
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private async Task<Outcome> Send(Due due)
    {
        var attempt = due.Attempts + 1;
        var body = $$"""{"type":{{JsonSerializer.Serialize(due.Type)}},"timestamp":"{{due.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}}","data":{{due.Data}}}""";
        var id = due.EventId.ToString();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, due.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secrets.Open(due.SecretEncrypted, due.EndpointId), id, timestamp, body));

        var clock = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            retryAfter = response.Headers.RetryAfter;
            if (status is >= 300 and < 400) error = "Redirects are not followed.";
        }
        catch (OperationCanceledException)
        {
            error = $"No answer within {options.TimeoutSeconds} s.";
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        var duration = (int)clock.ElapsedMilliseconds;
        if (status is >= 200 and < 300) return new Outcome(due.Id, attempt, status, null, duration, "delivered", 0);

        var wait = WebhookBackoff.Next(attempt, schedule, retryAfter, time.GetUtcNow(), TimeSpan.FromSeconds(options.MaxRetryAfterSeconds), Random.Shared);
        // The endpoint's id, never its URL: a URL may carry a token.
        log.LogInformation("Webhook {EndpointId} attempt {Attempt} for event {EventId} failed ({Status}{Error}); {Next}",
            due.EndpointId, attempt, due.EventId, status, error, wait is { } w ? $"next in {w.TotalSeconds:0.#} s" : "no attempts left");
        return new Outcome(due.Id, attempt, status, error, duration, wait is null ? "failed" : "pending", wait?.TotalSeconds ?? 0);
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}
