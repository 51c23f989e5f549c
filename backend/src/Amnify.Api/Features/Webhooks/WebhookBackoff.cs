using System.Net.Http.Headers;

namespace Amnify.Api.Features.Webhooks;

/// <summary>When a failed delivery is tried again, if at all.</summary>
public static class WebhookBackoff
{
    /// <summary>
    /// After attempt number <paramref name="attempt"/> (from 1) failed: the wait before the next, or null when that was
    /// the last. A receiver's Retry-After is honoured (up to <paramref name="maxRetryAfter"/>); otherwise the schedule's
    /// wait, varied by up to a fifth either way so that deliveries failed together are not retried together.
    /// </summary>
    public static TimeSpan? Next(int attempt, TimeSpan[] schedule, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan maxRetryAfter, Random random)
    {
        if (attempt > schedule.Length) return null;
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - now : null);
        if (asked is { } wait) return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > maxRetryAfter ? maxRetryAfter : wait;
        return schedule[attempt - 1] * (0.8 + random.NextDouble() * 0.4);
    }
}
