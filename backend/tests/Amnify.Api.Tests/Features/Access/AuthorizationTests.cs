using System.Net;
using Amnify.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class AuthorizationTests(ApiFactory factory) : AccessTestBase(factory)
{
    [Fact]
    public void Every_route_the_app_serves_has_an_entry_in_the_access_matrix_and_every_entry_a_route()
    {
        var routes = AccessMatrix.Routes(Host().Services).Select(r => r.Key).ToHashSet();

        routes.Except(AccessMatrix.Minimum.Keys).Should().BeEmpty("every route must say in AccessMatrix who may call it");
        AccessMatrix.Minimum.Keys.Except(routes).Should().BeEmpty("an entry whose route is gone tests nothing");
    }

    [Fact]
    public void Routes_open_to_everyone_say_AllowAnonymous_and_the_rest_are_closed_by_default()
    {
        var routes = AccessMatrix.Routes(Host().Services);
        var open = routes.Where(r => AccessMatrix.Minimum.GetValueOrDefault(r.Key) == AccessMatrix.Anonymous).ToList();

        open.Should().NotBeEmpty().And.OnlyContain(r => AccessMatrix.SaysAllowAnonymous(r), "an open route is open on purpose");
        routes.Except(open).Should().NotContain(r => AccessMatrix.SaysAllowAnonymous(r));
        var fallback = Host().Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        fallback.Should().NotBeNull("a route that names no policy must not be public");
        fallback!.Requirements.Should().ContainSingle().Which.Should().Be(new RoleRequirement(Role.Viewer));
    }

    [Fact]
    public async Task A_route_that_names_no_policy_is_closed_to_anonymous_callers()
    {
        var anonymous = api.CreateAnonymousClient();

        // The router's own "method not allowed" endpoint names no policy: the fallback closes it like a forgotten route.
        var wrongMethod = await anonymous.PutAsync("/api/v1/projects", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        wrongMethod.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrongMethod.ReadProblem()).Status.Should().Be(401);
        (await api.CreateClient().PutAsync("/api/v1/projects", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_path_no_route_serves_answers_404_to_anyone()
    {
        var response = await api.CreateAnonymousClient().GetAsync("/api/v1/nothing-here");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Status.Should().Be(404);
    }

    [Fact]
    public async Task The_SPA_its_files_and_the_API_document_are_open_to_everyone()
    {
        var anonymous = Host().CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        (await anonymous.GetStringAsync("/pipelines/some-page")).Should().Contain("<title>Amnify Deploy</title>");
        (await anonymous.GetStringAsync("/")).Should().Contain("<title>Amnify Deploy</title>");
        (await anonymous.GetStringAsync("/assets/app.js")).Should().Contain("amnify");
        (await anonymous.GetStringAsync("/swagger/v1/swagger.yaml")).Should().Contain("openapi:");
        (await anonymous.GetAsync("/swagger/index.html")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>Each role's least rights, from an unknown id and an empty body: a caller who passes sees 400/404/409, never 401/403.</summary>
    [Theory]
    [MemberData(nameof(AccessMatrix.Rows), MemberType = typeof(AccessMatrix))]
    public async Task Each_role_reaches_exactly_the_endpoints_its_rank_allows(string method, string path, string minimum)
    {
        var url = AccessMatrix.Url(path, X);
        var anonymous = Host().CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var status = (await anonymous.SendAsync(Request(method, url))).StatusCode;
        if (minimum == AccessMatrix.Anonymous)
            status.Should().NotBe(HttpStatusCode.Unauthorized, $"anyone may {method} {url}").And.NotBe(HttpStatusCode.Forbidden);
        else
            status.Should().Be(HttpStatusCode.Unauthorized, $"{method} {url} needs a signed-in caller");
        foreach (var role in AccessMatrix.Ranks)
        {
            var client = await ClientFor(role);
            status = (await client.SendAsync(Request(method, url))).StatusCode;
            if (minimum == AccessMatrix.Anonymous || Array.IndexOf(AccessMatrix.Ranks, role) >= Array.IndexOf(AccessMatrix.Ranks, minimum))
                status.Should().NotBe(HttpStatusCode.Forbidden, $"{role} may {method} {url}").And.NotBe(HttpStatusCode.Unauthorized);
            else
                status.Should().Be(HttpStatusCode.Forbidden, $"{role} may not {method} {url}");
        }
    }

    [Fact]
    public async Task Health_and_readiness_stay_open()
    {
        var anonymous = api.CreateAnonymousClient();
        (await anonymous.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/readyz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
