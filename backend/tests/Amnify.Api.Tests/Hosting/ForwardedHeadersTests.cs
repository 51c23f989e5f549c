using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Hosting;

/// <summary>
/// Behind a TLS proxy: X-Forwarded-* headers count only when the connection comes from a configured proxy.
/// The test server has no real peer address, so a startup filter plays the TCP peer from a test header.
/// </summary>
[Collection(nameof(ForwardedHeadersCollection))]
public sealed class ForwardedHeadersTests(ApiFactory api)
{
    private const string TrustedProxy = "10.9.9.9";
    private const string Stranger = "198.51.100.23";
    private const string PeerHeader = "X-Test-Peer";

    private HttpClient ClientVia(string peer)
    {
        var client = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("ForwardedHeaders:KnownProxies", TrustedProxy);
            b.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerFromHeader>());
        }).CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Add(PeerHeader, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer!);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private async Task<(string Email, string Password)> NewUser()
    {
        var email = $"proxy-{Guid.NewGuid():N}@example.test";
        (await api.CreateClient().PostJson("/api/v1/users", new { email, displayName = "Proxy", role = "viewer", password = "correct-horse-battery" }))
            .EnsureSuccessStatusCode();
        return (email, "correct-horse-battery");
    }

    [Fact]
    public async Task Https_forwarded_by_a_known_proxy_gives_a_secure_cookie_and_hsts()
    {
        var (email, password) = await NewUser();
        var response = await ClientVia(TrustedProxy).PostJson("/api/v1/auth/login", new { email, password });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single().Should().Contain("secure", "the browser reached us over HTTPS");
        response.Headers.Contains("Strict-Transport-Security").Should().BeTrue();
    }

    [Fact]
    public async Task Https_claimed_by_anyone_else_is_not_believed()
    {
        var (email, password) = await NewUser();
        var response = await ClientVia(Stranger).PostJson("/api/v1/auth/login", new { email, password });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single().Should().NotContain("secure");
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
    }

    [Fact]
    public async Task Sign_in_limits_count_each_client_behind_the_proxy_on_its_own()
    {
        var proxy = ClientVia(TrustedProxy);
        async Task<HttpStatusCode> SignInFrom(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent(new { email = $"nobody-{Guid.NewGuid():N}@example.test", password = "wrong-password-1" }),
            };
            request.Headers.Add("X-Forwarded-For", client);
            return (await proxy.SendAsync(request)).StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++) first.Add(await SignInFrom("203.0.113.7"));

        first.Should().Contain(HttpStatusCode.TooManyRequests, "one client past the limit is throttled");
        (await SignInFrom("203.0.113.8")).Should().Be(HttpStatusCode.Unauthorized, "another client behind the same proxy is not");
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, ApiFactory.Json), System.Text.Encoding.UTF8, "application/json");
}

[CollectionDefinition(nameof(ForwardedHeadersCollection))]
public sealed class ForwardedHeadersCollection : ICollectionFixture<ApiFactory>;
