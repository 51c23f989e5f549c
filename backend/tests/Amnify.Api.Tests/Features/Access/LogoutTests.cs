using System.Net;
using Amnify.Api.Features.Access;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class LogoutTests(ApiFactory factory) : AccessTestBase(factory)
{
    [Fact]
    public async Task Cookie_sessions_need_the_client_header_for_changes_and_end_at_logout()
    {
        var email = $"op-{Guid.NewGuid():N}@example.test";
        await admin.PostJson("/api/v1/users", new { email, displayName = "Op", role = "operator", password = "operator-password" });
        var browser = api.CreateAnonymousClient();
        var login = await browser.PostJson("/api/v1/auth/login", new { email, password = "operator-password" });
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().Contain("httponly").And.Contain("samesite=strict");
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);

        (await (await browser.GetAsync("/api/v1/me")).Read<Me>()).Role.Should().Be(Amnify.Api.Auth.Role.Operator);
        (await browser.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("forged") })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        browser.DefaultRequestHeaders.Add("X-Amnify-Client", "spa");
        (await browser.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("real") })).StatusCode.Should().Be(HttpStatusCode.Created);

        await browser.PostEmpty("/api/v1/auth/logout");
        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
