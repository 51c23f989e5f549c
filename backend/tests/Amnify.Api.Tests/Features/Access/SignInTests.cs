using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amnify.Api.Features.Access;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(SignInCollection))]
public sealed class SignInCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Sign-in as an attacker tries it: telling real accounts from unknown ones by the answer or its timing,
/// and locking the admin out from elsewhere. Requests go straight to the test server so each can come
/// from an address of its own.
/// </summary>
[Collection(nameof(SignInCollection))]
public sealed class SignInTests(ApiFactory api)
{
    private const string Password = "the-right-password";
    private readonly HttpClient admin = api.CreateClient();

    private sealed record Answer(HttpStatusCode Status, string Body, TimeSpan Took, string? RetryAfter = null)
    {
        /// <summary>The body without its per-request trace id, and with numbers (a wait in seconds) as #.</summary>
        public string Stable
        {
            get
            {
                var json = JsonNode.Parse(Body)!.AsObject();
                json.Remove("traceId");
                return Regex.Replace(json.ToJsonString(), "[0-9]+ seconds", "# seconds");
            }
        }
    }

    private Task<Answer> SignIn(string email, string password, string address) => SignIn(api, email, password, address);

    private static async Task<Answer> SignIn(WebApplicationFactory<Program> host, string email, string password, string address)
    {
        using var client = new HttpClient(host.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address)))
        {
            BaseAddress = host.Server.BaseAddress,
        };
        var watch = Stopwatch.StartNew();
        var response = await client.PostJson("/api/v1/auth/login", new { email, password });
        watch.Stop();
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), watch.Elapsed,
            response.Headers.RetryAfter?.Delta is { } wait ? ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private async Task<string> NewUser(string role = "viewer")
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        (await admin.PostJson("/api/v1/users", new { email, displayName = role, role, password = Password })).StatusCode
            .Should().Be(HttpStatusCode.Created);
        return email;
    }

    private static int addresses;

    /// <summary>A source address no other request of the run has used, so neither throttle nor rate limit carries over.</summary>
    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref addresses);
        return $"10.{n / 250 % 250}.{n % 250}.7";
    }

    [Fact]
    public async Task Unknown_known_and_disabled_accounts_get_the_same_answer_in_the_same_time()
    {
        var known = await NewUser();
        var disabled = await NewUser();
        var user = (await (await admin.GetAsync("/api/v1/users?limit=200")).Read<Page<User>>()).Items.Single(u => u.Email == disabled);
        (await admin.PatchJson($"/api/v1/users/{user.Id}", new { disabled = true })).StatusCode.Should().Be(HttpStatusCode.OK);

        // Padded well beyond what a password check costs on a busy machine, so only a leak would stand out.
        var minimum = TimeSpan.FromSeconds(1);
        var host = api.WithWebHostBuilder(b => b.UseSetting("Auth:SignInMinDuration", minimum.ToString()));
        var answers = new List<(string Kind, Answer Answer)>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(("known", await SignIn(host, known, "a-wrong-password", NewAddress())));
            answers.Add(("unknown", await SignIn(host, $"nobody-{Guid.NewGuid():N}@example.test", "a-wrong-password", NewAddress())));
            answers.Add(("disabled", await SignIn(host, disabled, Password, NewAddress())));
        }

        answers.Should().OnlyContain(a => a.Answer.Status == HttpStatusCode.Unauthorized);
        answers.Select(a => a.Answer.Stable).Distinct().Should().ContainSingle("the body does not tell which accounts exist");
        answers.Should().OnlyContain(a => a.Answer.Took >= minimum, "every answer is padded");
        // The fastest of each kind: a busy machine only ever adds time, a leak would show in the floor.
        var fastest = answers.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.Min(a => a.Answer.Took.TotalMilliseconds));
        (fastest.Values.Max() - fastest.Values.Min()).Should().BeLessThan(100, $"timing must not tell them apart: {string.Join(", ", fastest)}");
    }

    [Fact]
    public async Task Every_answer_takes_at_least_the_default_minimum()
    {
        var known = await NewUser();

        var answers = new[]
        {
            await SignIn(known, "a-wrong-password", NewAddress()),
            await SignIn($"nobody-{Guid.NewGuid():N}@example.test", "a-wrong-password", NewAddress()),
            await SignIn(known, Password, NewAddress()),
        };

        answers.Select(a => a.Status).Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        answers.Should().OnlyContain(a => a.Took >= LoginHandler.DefaultMinDuration);
    }

    [Fact]
    public async Task A_stranger_hammering_the_admin_is_throttled_while_the_admin_still_signs_in_from_their_own_address()
    {
        var victim = await NewUser("admin");
        var attacker = NewAddress();
        for (var i = 0; i < LoginHandler.FreeFailures; i++)
            (await SignIn(victim, $"guess-number-{i}", attacker)).Status.Should().Be(HttpStatusCode.Unauthorized);

        var throttled = await SignIn(victim, Password, attacker);
        var owner = await SignIn(victim, Password, NewAddress());

        throttled.Status.Should().Be(HttpStatusCode.TooManyRequests, "even the right password waits at the hammering address");
        owner.Status.Should().Be(HttpStatusCode.OK, owner.Body);
        var failures = await (await admin.GetAsync($"/api/v1/audit-events?actor={Uri.EscapeDataString(victim)}&action=auth.login.failed")).Read<Page<AuditEvent>>();
        failures.Items.Should().HaveCount(LoginHandler.FreeFailures, "each failure is audited");
        var waits = await (await admin.GetAsync($"/api/v1/audit-events?actor={Uri.EscapeDataString(victim)}&action=auth.login.throttled")).Read<Page<AuditEvent>>();
        waits.Items.Should().ContainSingle();
    }

    [Fact]
    public async Task An_unknown_email_is_throttled_exactly_like_a_real_one()
    {
        var real = await NewUser();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        var (realAddress, unknownAddress) = (NewAddress(), NewAddress());
        for (var i = 0; i < LoginHandler.FreeFailures; i++) await SignIn(real, "a-wrong-password", realAddress);
        var forReal = await SignIn(real, "a-wrong-password", realAddress);
        for (var i = 0; i < LoginHandler.FreeFailures; i++) await SignIn(unknown, "a-wrong-password", unknownAddress);
        var forUnknown = await SignIn(unknown, "a-wrong-password", unknownAddress);

        forReal.Status.Should().Be(HttpStatusCode.TooManyRequests);
        forUnknown.Status.Should().Be(HttpStatusCode.TooManyRequests);
        forUnknown.Stable.Should().Be(forReal.Stable);
    }

    [Fact]
    public async Task The_wait_doubles_with_each_failure_past_the_free_ones_and_a_success_clears_it()
    {
        var email = await NewUser();
        var address = NewAddress();
        await using var db = await api.OpenDatabase();
        const string Row = """
            SELECT failures, extract(epoch FROM blocked_until - last_failure_at)::float8 AS wait FROM sign_in_throttles
            WHERE email = lower(@email) AND source = @address
            """;

        var waits = new List<double>();
        for (var i = 0; i < LoginHandler.FreeFailures + 3; i++)
        {
            // Time passes: the wait from the last failure is over (the test does not sleep through it).
            await db.ExecuteAsync("UPDATE sign_in_throttles SET blocked_until = now() - interval '1 second' WHERE email = lower(@email)", new { email });
            (await SignIn(email, "a-wrong-password", address)).Status.Should().Be(HttpStatusCode.Unauthorized);
            var row = await db.QuerySingleAsync<(int Failures, double? Wait)>(Row, new { email, address });
            row.Failures.Should().Be(i + 1);
            waits.Add(row.Wait ?? 0);
        }

        waits.Take(LoginHandler.FreeFailures - 1).Should().OnlyContain(w => w == 0, "the first failures cost nothing");
        var first = LoginHandler.FirstWait.TotalSeconds;
        waits.Skip(LoginHandler.FreeFailures - 1).Select(w => Math.Round(w)).Should().Equal(first, 2 * first, 4 * first, 8 * first);

        await db.ExecuteAsync("UPDATE sign_in_throttles SET blocked_until = now() - interval '1 second' WHERE email = lower(@email)", new { email });
        (await SignIn(email, Password, address)).Status.Should().Be(HttpStatusCode.OK);
        (await db.ExecuteScalarAsync<int>("SELECT count(*) FROM sign_in_throttles WHERE email = lower(@email)", new { email })).Should().Be(0);
        (await SignIn(email, "a-wrong-password", address)).Status.Should().Be(HttpStatusCode.Unauthorized, "the count starts over");
    }

    [Fact]
    public async Task A_throttled_sign_in_says_in_Retry_After_how_long_to_wait()
    {
        var email = await NewUser();
        var address = NewAddress();
        for (var i = 0; i < LoginHandler.FreeFailures; i++) await SignIn(email, "a-wrong-password", address);

        var throttled = await SignIn(email, Password, address);

        throttled.Status.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.RetryAfter.Should().NotBeNull("a script should not have to parse the message to know when to retry");
        int.Parse(throttled.RetryAfter!).Should().BeInRange(1, (int)LoginHandler.FirstWait.TotalSeconds);
        throttled.Body.Should().Contain($"try again in {throttled.RetryAfter} seconds").And.NotContain("retryAfter");
    }

    [Fact]
    public async Task The_per_address_rate_limit_still_holds_across_emails()
    {
        var address = NewAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++) statuses.Add((await SignIn($"spray-{i}-{Guid.NewGuid():N}@example.test", "a-wrong-password", address)).Status);

        var limited = await SignIn($"spray-last-{Guid.NewGuid():N}@example.test", "a-wrong-password", address);

        statuses.Take(20).Should().OnlyContain(s => s == HttpStatusCode.Unauthorized);
        statuses[20].Should().Be(HttpStatusCode.TooManyRequests);
        limited.RetryAfter.Should().NotBeNull("the rate limit says when its window ends");
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    public void Failures_count_against_an_ipv4_address_or_an_ipv6_slash_64(string address, string source)
    {
        LoginHandler.Source(IPAddress.Parse(address)).Should().Be(source);
    }
}
