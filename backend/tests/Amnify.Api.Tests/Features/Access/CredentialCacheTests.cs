using System.Net;
using System.Net.Http.Headers;
using Amnify.Api.Auth;
using Amnify.Api.Features.Access;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(CredentialCacheCollection))]
public sealed class CredentialCacheCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Two API processes on one database, each caching the credentials it verified for a minute: a change made
/// through one host (or behind both, in SQL) takes effect on the other before the change is answered or at once.
/// </summary>
[Collection(nameof(CredentialCacheCollection))]
public sealed class CredentialCacheTests(ApiFactory api) : IAsyncLifetime
{
    private WebApplicationFactory<Program> hostA = null!;
    private WebApplicationFactory<Program> hostB = null!;

    public Task InitializeAsync()
    {
        hostA = Host();
        hostB = Host();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await hostA.DisposeAsync();
        await hostB.DisposeAsync();
    }

    // A minute: long enough that only an eviction, never the lifetime, can end an entry within a test.
    private WebApplicationFactory<Program> Host() => api.WithWebHostBuilder(b => b.UseSetting("Auth:CredentialCacheSeconds", "60"));

    private static HttpClient Client(WebApplicationFactory<Program> host, string? token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<CreatedApiToken> NewToken(HttpClient maker) =>
        await (await maker.PostJson("/api/v1/tokens", new { name = HttpExtensions.Unique("script") })).Read<CreatedApiToken>();

    /// <summary>Uses the credential on host B until B holds it in its cache (its listener starts with its first lookup).</summary>
    private async Task Warm(HttpClient client)
    {
        var cache = hostB.Services.GetRequiredService<VerifiedCredentials>();
        for (var i = 0; i < 100 && !cache.Listening; i++)
        {
            (await client.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.OK);
            await Task.Delay(50);
        }
        cache.Listening.Should().BeTrue();
        (await client.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_verified_token_is_served_from_memory_without_asking_the_database_again()
    {
        var token = await NewToken(Client(hostA, ApiFactory.AdminToken));
        var b = Client(hostB, token.Token);
        await Warm(b);

        // Revoked behind the API's back with the notifying trigger off: nothing tells host B.
        await using (var db = await api.OpenDatabase())
        {
            await db.ExecuteAsync("ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_changed");
            try
            {
                await db.ExecuteAsync("UPDATE api_tokens SET revoked_at = now() WHERE id = @Id", new { token.ApiToken.Id });
            }
            finally
            {
                await db.ExecuteAsync("ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_changed");
            }
        }

        (await b.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.OK, "the cached verification still stands");
        (await Client(hostA, token.Token).GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "a host that had not cached it asks the database");
    }

    [Fact]
    public async Task A_token_revoked_through_one_host_is_refused_by_the_other_as_soon_as_the_revocation_is_answered()
    {
        var admin = Client(hostA, ApiFactory.AdminToken);
        var token = await NewToken(admin);
        var b = Client(hostB, token.Token);
        await Warm(b);

        (await admin.DeleteAsync($"/api/v1/tokens/{token.ApiToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await b.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_made_with_a_revoked_token_is_refused_everywhere_too()
    {
        var admin = Client(hostA, ApiFactory.AdminToken);
        var parent = await NewToken(admin);
        var child = await NewToken(Client(hostA, parent.Token));
        var b = Client(hostB, child.Token);
        await Warm(b);

        (await admin.DeleteAsync($"/api/v1/tokens/{parent.ApiToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await b.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_role_changed_through_one_host_applies_on_the_other_as_soon_as_the_change_is_answered()
    {
        var admin = Client(hostA, ApiFactory.AdminToken);
        var email = $"operator-{Guid.NewGuid():N}@example.test";
        var user = await (await admin.PostJson("/api/v1/users", new { email, displayName = "Op", role = "operator", password = People.Password })).Read<User>();
        var browser = hostA.CreateClient();
        browser.DefaultRequestHeaders.Authorization = null;
        var signIn = await browser.PostJson("/api/v1/auth/login", new { email, password = People.Password });
        browser.DefaultRequestHeaders.Add("Cookie", signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0]);
        browser.DefaultRequestHeaders.Add("X-Amnify-Client", "test");
        var token = await NewToken(browser);
        var b = Client(hostB, token.Token);
        await Warm(b);
        (await b.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("Allowed") })).StatusCode.Should().Be(HttpStatusCode.Created);

        (await admin.PatchJson($"/api/v1/users/{user.Id}", new { role = "viewer" })).EnsureSuccessStatusCode();

        (await b.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("Refused") })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_session_signed_out_on_one_host_is_refused_by_the_other_as_soon_as_sign_out_is_answered()
    {
        var email = $"viewer-{Guid.NewGuid():N}@example.test";
        (await Client(hostA, ApiFactory.AdminToken).PostJson("/api/v1/users", new { email, displayName = "V", role = "viewer", password = People.Password }))
            .EnsureSuccessStatusCode();
        var signIn = await Client(hostA, null).PostJson("/api/v1/auth/login", new { email, password = People.Password });
        var cookie = signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var a = Client(hostA, null);
        var b = Client(hostB, null);
        foreach (var client in new[] { a, b })
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            client.DefaultRequestHeaders.Add("X-Amnify-Client", "test");
        }
        await Warm(b);

        (await a.PostEmpty("/api/v1/auth/logout")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await b.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_revoked_in_SQL_behind_both_hosts_stops_within_moments_through_the_trigger()
    {
        var token = await NewToken(Client(hostA, ApiFactory.AdminToken));
        var b = Client(hostB, token.Token);
        await Warm(b);

        await using (var db = await api.OpenDatabase())
            await db.ExecuteAsync("UPDATE api_tokens SET revoked_at = now() WHERE id = @Id", new { token.ApiToken.Id });

        // Far less than the minute the entry would otherwise live.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            status = (await b.GetAsync("/api/v1/projects")).StatusCode;
            if (status == HttpStatusCode.Unauthorized) break;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Using_a_token_again_within_a_minute_writes_no_last_used_time()
    {
        var token = await NewToken(Client(hostA, ApiFactory.AdminToken));
        var b = Client(hostB, token.Token);
        await Warm(b);
        await using var db = await api.OpenDatabase();
        var first = await db.ExecuteScalarAsync<DateTime?>("SELECT last_used_at FROM api_tokens WHERE id = @Id", new { token.ApiToken.Id });
        first.Should().NotBeNull("a token's first use is written at once");

        await Warm(b);

        (await db.ExecuteScalarAsync<DateTime?>("SELECT last_used_at FROM api_tokens WHERE id = @Id", new { token.ApiToken.Id })).Should().Be(first);
    }
}
