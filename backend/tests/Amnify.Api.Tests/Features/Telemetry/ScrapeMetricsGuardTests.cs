using System.Net;

namespace Amnify.Api.Tests.Features.Telemetry;

/// <summary>
/// Who may read <c>/metrics</c> on the API: only a scraper holding <c>Metrics:ScrapeToken</c>, whatever the caller's
/// session or API token; and nobody while no token is set.
/// </summary>
public sealed class ScrapeMetricsGuardTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string ScrapeToken = "scrape-token-for-the-guard-test";

    [Fact]
    public async Task Without_a_scrape_token_set_metrics_are_off()
    {
        var response = await api.CreateClient().GetAsync("/metrics");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().Contain("Metrics__ScrapeToken");
    }

    [Fact]
    public async Task An_admins_api_token_does_not_open_metrics_but_the_scrape_token_does()
    {
        var host = api.WithWebHostBuilder(b => b.UseSetting("Metrics:ScrapeToken", ScrapeToken));
        var admin = host.CreateClient();
        var scraper = host.CreateClient();
        scraper.DefaultRequestHeaders.Authorization = new("Bearer", ScrapeToken);

        var refused = await admin.GetAsync("/metrics");
        var scraped = await scraper.GetAsync("/metrics");

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        scraped.StatusCode.Should().Be(HttpStatusCode.OK);
        (await scraped.Content.ReadAsStringAsync()).Should().Contain("# TYPE ");
    }
}
