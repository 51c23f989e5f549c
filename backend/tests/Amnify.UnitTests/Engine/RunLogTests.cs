using Amnify.Api.Engine;
using Amnify.Api.Terraform;
using Npgsql;

namespace Amnify.UnitTests.Engine;

public sealed class RunLogTests
{
    // Lines are only redacted and kept here; nothing connects until a flush.
    private static RunLog Log(params string[] secrets) =>
        new(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"), Guid.NewGuid(), new Redactor(secrets));

    [Theory]
    [InlineData(4090)]
    [InlineData(4095)]
    [InlineData(4080)]
    public void A_line_cut_through_a_secret_keeps_no_part_of_it(int padding)
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var log = Log(secret);

        log.Write(new string('x', padding) + secret + " and more");

        var line = log.Recent.Single();
        line.Should().StartWith(new string('x', padding) + "*").And.EndWith(" …(line cut)").And.NotContain("s3c");
        line.Length.Should().Be(RunLog.MaxLineLength + " …(line cut)".Length);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var log = Log();

        log.Write(new string('x', RunLog.MaxLineLength - 1) + "😀😀");

        log.Recent.Single().Should().Be(new string('x', RunLog.MaxLineLength - 1) + " …(line cut)");
    }

    [Fact]
    public void Recent_lines_forgotten_after_a_retried_attempt_are_not_taken_for_its_error()
    {
        var log = Log();
        log.Write("Error: first attempt");

        log.ClearRecent();
        log.Write("second attempt");

        log.Recent.Should().Equal("second attempt");
    }
}
