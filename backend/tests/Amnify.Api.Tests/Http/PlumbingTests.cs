using System.Net;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Http;

[CollectionDefinition(nameof(PlumbingCollection))]
public sealed class PlumbingCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(PlumbingCollection))]
public sealed class PlumbingTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    [Fact]
    public async Task Health_and_readiness_answer_without_credentials()
    {
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await client.GetAsync("/readyz")).Read<Health>()).Status.Should().Be("ready");
    }

    [Fact]
    public async Task Providers_are_the_three_clouds_with_display_names()
    {
        var page = await (await client.GetAsync("/api/v1/providers")).Read<Page<Provider>>();

        page.Items.Select(p => p.Id).Should().Equal(CloudProvider.Aws, CloudProvider.Azure, CloudProvider.Gcp);
        page.Items.Should().OnlyContain(p => p.DisplayName.Length > 0);
        (await client.GetStringAsync("/api/v1/providers")).Should().Contain("\"id\":\"aws\"");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_problem_details()
    {
        var missing = await client.GetAsync("/api/v1/nothing-here");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.ReadProblem()).Detail.Should().Contain("/api/v1/nothing-here");

        var wrongMethod = await client.PutAsync("/api/v1/projects", null);
        wrongMethod.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        await wrongMethod.ReadProblem();
    }

    [Fact]
    public async Task Answers_carry_security_headers()
    {
        var response = await client.GetAsync("/api/v1/providers");

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'").And.Contain("script-src 'self'");
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task Migrations_run_once_even_when_two_instances_start_together()
    {
        // A second host on the same database runs the migrator again; the advisory lock and the
        // version table make it a no-op instead of a race.
        await using var second = api.AnotherHost();
        var starts = await Task.WhenAll(
            Task.Run(() => second.CreateClient().GetAsync("/readyz")),
            Task.Run(() => api.CreateClient().GetAsync("/readyz")));

        starts.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
    }

}
