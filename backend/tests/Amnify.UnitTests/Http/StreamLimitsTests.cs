using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class StreamLimitsTests
{
    [Fact]
    public void A_caller_gets_a_limited_number_of_streams_and_a_closed_one_frees_its_slot()
    {
        var options = new StreamOptions();
        var limits = new StreamLimits(options);
        var slots = Enumerable.Range(0, options.PerUser).Select(_ => limits.TryOpen("ci")).ToList();

        slots.Should().OnlyContain(s => s != null);
        limits.TryOpen("ci").Should().BeNull();
        limits.TryOpen("someone else").Should().NotBeNull();

        slots[0]!.Dispose();
        slots[0]!.Dispose(); // closing twice frees one slot, not two
        limits.TryOpen("ci").Should().NotBeNull();
        limits.TryOpen("ci").Should().BeNull();
    }

    [Fact]
    public void Everyone_together_stays_under_the_global_cap_and_a_refusal_takes_no_slot()
    {
        var limits = new StreamLimits(new StreamOptions { PerUser = 2, Total = 3 });
        var held = new[] { limits.TryOpen("a"), limits.TryOpen("a"), limits.TryOpen("b") };

        held.Should().OnlyContain(s => s != null);
        limits.TryOpen("c").Should().BeNull("the process holds its total");
        limits.TryOpen("a").Should().BeNull();

        held[2]!.Dispose();
        limits.TryOpen("a").Should().BeNull("a still holds its own two");
        limits.TryOpen("c").Should().NotBeNull("refused attempts did not keep a slot");
        limits.TryOpen("b").Should().BeNull();
    }

    [Fact]
    public void The_limits_come_from_the_options()
    {
        var limits = new StreamLimits(new StreamOptions { PerUser = 1, Total = 10 });

        limits.TryOpen("a").Should().NotBeNull();
        limits.TryOpen("a").Should().BeNull();
        limits.TryOpen("b").Should().NotBeNull();
    }
}
