using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class StreamLimitsTests
{
    [Fact]
    public void A_caller_gets_a_limited_number_of_streams_and_a_closed_one_frees_its_slot()
    {
        var limits = new StreamLimits();
        var slots = Enumerable.Range(0, StreamLimits.PerCaller).Select(_ => limits.TryOpen("ci")).ToList();

        slots.Should().OnlyContain(s => s != null);
        limits.TryOpen("ci").Should().BeNull();
        limits.TryOpen("someone else").Should().NotBeNull();

        slots[0]!.Dispose();
        slots[0]!.Dispose(); // closing twice frees one slot, not two
        limits.TryOpen("ci").Should().NotBeNull();
        limits.TryOpen("ci").Should().BeNull();
    }
}
