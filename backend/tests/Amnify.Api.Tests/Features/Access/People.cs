using System.Net;
using System.Net.Http.Headers;
using Amnify.Api.Features.Access;

namespace Amnify.Api.Tests.Features.Access;

/// <summary>A user made for one test: who they are, their password, and a client that calls with their personal token.</summary>
public sealed record Person(User User, string Password, HttpClient Client, CreatedApiToken Token)
{
    public Guid Id => User.Id;
}

/// <summary>Creates people the way an admin would, with the display name a test needs (look-alikes included).</summary>
public static class People
{
    public const string Password = "correct-horse-battery";

    public static async Task<Person> Person(this ApiFactory api, string role, string? displayName = null)
    {
        var admin = api.CreateClient();
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        var created = await admin.PostJson("/api/v1/users", new { email, displayName = displayName ?? role, role, password = Password });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var user = await created.Read<User>();
        var browser = await api.SignIn(email);
        var token = await (await browser.PostJson("/api/v1/tokens", new { name = "test" })).Read<CreatedApiToken>();
        return new Person(user, Password, api.WithToken(token.Token), token);
    }

    private static int addresses;

    /// <summary>
    /// A browser session: the cookie and the header the SPA sends with changes. Each signs in from an address of its
    /// own, as people do, so a test that makes many people is not held up by the per-address sign-in rate limit.
    /// </summary>
    public static async Task<HttpClient> SignIn(this ApiFactory api, string email, string password = Password)
    {
        var n = Interlocked.Increment(ref addresses);
        var address = IPAddress.Parse($"10.250.{n / 250 % 250}.{n % 250 + 1}");
        var browser = new HttpClient(api.Server.CreateHandler(c => c.Connection.RemoteIpAddress = address)) { BaseAddress = api.Server.BaseAddress };
        var signIn = await browser.PostJson("/api/v1/auth/login", new { email, password });
        signIn.StatusCode.Should().Be(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        browser.DefaultRequestHeaders.Add("Cookie", signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0]);
        browser.DefaultRequestHeaders.Add("X-Amnify-Client", "test");
        return browser;
    }

    public static HttpClient WithToken(this ApiFactory api, string token)
    {
        var client = api.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
