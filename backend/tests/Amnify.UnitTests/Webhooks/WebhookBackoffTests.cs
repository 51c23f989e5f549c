using System.Net.Http.Headers;
using Amnify.Api.Features.Webhooks;

namespace Amnify.UnitTests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly TimeSpan[] Schedule = new WebhookOptions().RetryDelays();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cap = TimeSpan.FromHours(1);

    [Fact]
    public void The_default_schedule_makes_at_least_five_attempts_over_about_an_hour()
    {
        (Schedule.Length + 1).Should().BeGreaterThanOrEqualTo(5);
        Schedule.Aggregate(TimeSpan.Zero, (a, b) => a + b).Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void Each_wait_is_the_schedules_varied_by_at_most_a_fifth()
    {
        var random = new Random(7);
        for (var attempt = 1; attempt <= Schedule.Length; attempt++)
        {
            var waits = Enumerable.Range(0, 50).Select(_ => WebhookBackoff.Next(attempt, Schedule, null, Now, Cap, random)!.Value).ToList();
            waits.Should().OnlyContain(w => w >= Schedule[attempt - 1] * 0.8 && w <= Schedule[attempt - 1] * 1.2);
            waits.Distinct().Should().HaveCountGreaterThan(1, "jitter spreads deliveries that failed together");
        }
    }

    [Fact]
    public void After_the_last_attempt_there_is_none()
    {
        WebhookBackoff.Next(Schedule.Length + 1, Schedule, null, Now, Cap, new Random(1)).Should().BeNull();
    }

    [Fact]
    public void Retry_After_in_seconds_or_as_a_date_is_honoured_up_to_the_cap()
    {
        WebhookBackoff.Next(1, Schedule, new RetryConditionHeaderValue(TimeSpan.FromSeconds(90)), Now, Cap, new Random(1)).Should().Be(TimeSpan.FromSeconds(90));
        WebhookBackoff.Next(1, Schedule, new RetryConditionHeaderValue(Now.AddMinutes(3)), Now, Cap, new Random(1)).Should().Be(TimeSpan.FromMinutes(3));
        WebhookBackoff.Next(1, Schedule, new RetryConditionHeaderValue(TimeSpan.FromDays(2)), Now, Cap, new Random(1)).Should().Be(Cap);
    }

    [Fact]
    public void Retry_After_does_not_add_attempts()
    {
        WebhookBackoff.Next(Schedule.Length + 1, Schedule, new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)), Now, Cap, new Random(1)).Should().BeNull();
    }
}
