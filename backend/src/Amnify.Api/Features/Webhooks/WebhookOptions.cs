namespace Amnify.Api.Features.Webhooks;

/// <summary>Webhook delivery (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Endpoints on loopback, link-local or private addresses are refused (the workers would otherwise be a way into the
    /// internal network), checked on every address a name resolves to, at registration and at each delivery.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Waits between attempts, in seconds, comma-separated: one attempt, then one more after each wait. The default
    /// makes 6 attempts over about an hour; each wait varies by up to a fifth either way, so failed deliveries spread out.
    /// </summary>
    public string RetryDelaysSeconds { get; set; } = "30,120,300,900,2400";

    /// <summary>Deliveries one worker makes at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How often an idle worker looks for due deliveries.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>A receiver that has not answered in this time has failed the attempt.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The longest Retry-After honoured; a receiver asking for longer waits this long.</summary>
    public int MaxRetryAfterSeconds { get; set; } = 3600;

    public TimeSpan[] RetryDelays() =>
        RetryDelaysSeconds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => TimeSpan.FromSeconds(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}
