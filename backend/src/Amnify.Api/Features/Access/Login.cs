using System.Net;
using System.Net.Sockets;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>Signs in with email and password; answers who you are and sets the session cookie.</summary>
[CanFail(FailureKind.Invalid, FailureKind.Unauthorized, FailureKind.TooMany)]
public sealed record Login(string Email, string Password) : ICommand<Result<Login.Session>>
{
    public sealed record Session(Me Me, string Token, DateTimeOffset ExpiresAt);
}

public sealed class LoginValidator : AbstractValidator<Login>
{
    public LoginValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("Email is required.").MaximumLength(320);
        RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.").MaximumLength(200);
    }
}

/// <summary>
/// Answers alike whether or not the account exists: the same status and body, a password check against a
/// stand-in hash for unknown accounts, and every answer padded to <c>Auth:SignInMinDuration</c>. Failures are
/// throttled per (email, source address) with a wait that doubles from the <see cref="FreeFailures"/>th on, so a
/// stranger hammering the admin's email slows only their own address: the admin still signs in from theirs.
/// </summary>
public sealed class LoginHandler(Db db, PasswordCheck passwords, AuditTrail audit, IHttpContextAccessor http, TimeProvider time, IConfiguration configuration)
    : ICommandHandler<Login, Result<Login.Session>>
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultMinDuration = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private const string Waiting = """
        SELECT ceil(extract(epoch FROM blocked_until - now()))::int FROM sign_in_throttles
        WHERE email = lower(@Email) AND source = @Source AND blocked_until > now()
        """;

    private const string Find = """
        SELECT id, email, display_name, role, password_hash, disabled FROM users WHERE lower(email) = lower(@Email)
        """;

    // The FreeFailures-th failure waits FirstWait, each further one twice as long, up to MaxWait; rows a day quiet are forgotten.
    private const string Failed = """
        INSERT INTO sign_in_throttles AS t (email, source, failures, blocked_until)
        VALUES (lower(@Email), @Source, 1, NULL)
        ON CONFLICT (email, source) DO UPDATE SET
            failures = t.failures + 1,
            last_failure_at = now(),
            blocked_until = CASE WHEN t.failures + 1 >= @FreeFailures
                THEN now() + make_interval(secs => least(@MaxWaitSeconds, @FirstWaitSeconds * power(2, least(t.failures + 1 - @FreeFailures, 30))))
                END;
        DELETE FROM sign_in_throttles WHERE last_failure_at < now() - interval '1 day';
        """;

    private const string Succeeded = """
        DELETE FROM sign_in_throttles WHERE email = lower(@Email) AND source = @Source;
        DELETE FROM sessions WHERE expires_at < now();
        INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (@Hash, @Id, @ExpiresAt);
        """;

    private sealed record Account
    {
        public required Guid Id { get; init; }
        public required string Email { get; init; }
        public required string DisplayName { get; init; }
        public required Role Role { get; init; }
        public string? PasswordHash { get; init; }
        public required bool Disabled { get; init; }
    }

    public async ValueTask<Result<Login.Session>> Handle(Login command, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // The address comes from the connection, not the message: the body stays the public Login schema.
        var result = await SignIn(command, Source(http.HttpContext?.Connection.RemoteIpAddress), cancellationToken);
        var minimum = configuration.GetValue<TimeSpan?>("Auth:SignInMinDuration") ?? DefaultMinDuration;
        // Timers round to whole milliseconds and may wake a little early: wait until the minimum has really passed.
        while (time.GetElapsedTime(started) is var elapsed && elapsed < minimum)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((minimum - elapsed).TotalMilliseconds)), time, cancellationToken);
        return result;
    }

    private async Task<Result<Login.Session>> SignIn(Login command, string source, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var key = new { command.Email, Source = source };
        if (await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Waiting, key, transaction, cancellationToken: cancellationToken)) is { } seconds)
        {
            await audit.Record(connection, transaction, "auth.login.throttled", "user", null, actor: command.Email);
            await transaction.CommitAsync(cancellationToken);
            return Failure.TooMany("Too many failed sign-ins",
                $"Too many failed sign-ins for this email from your address: try again in {Math.Max(seconds, 1)} seconds.",
                TimeSpan.FromSeconds(Math.Max(seconds, 1)));
        }

        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(Find, new { command.Email }, transaction, cancellationToken: cancellationToken));
        // Verified even for an unknown or disabled account, so the answer takes as long either way.
        var passwordMatches = passwords.Verify(account?.PasswordHash, command.Password);
        if (account is null || account.Disabled || !passwordMatches)
        {
            await connection.ExecuteAsync(new CommandDefinition(Failed, new
            {
                command.Email, Source = source, FreeFailures, FirstWaitSeconds = FirstWait.TotalSeconds, MaxWaitSeconds = MaxWait.TotalSeconds,
            }, transaction, cancellationToken: cancellationToken));
            await audit.Record(connection, transaction, "auth.login.failed", "user", account?.Id, actor: command.Email);
            await transaction.CommitAsync(cancellationToken);
            return Failure.Unauthorized("Sign-in failed", "The email or password is wrong, or the account is disabled.");
        }
        var token = Tokens.NewSessionToken();
        var expiresAt = time.GetUtcNow().Add(SessionLifetime);
        await connection.ExecuteAsync(new CommandDefinition(Succeeded, new { command.Email, Source = source, account.Id, Hash = Tokens.Hash(token), ExpiresAt = expiresAt }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "auth.login", "user", account.Id, actor: account.Email);
        await transaction.CommitAsync(cancellationToken);
        return new Login.Session(new Me(account.Id, account.Email, account.DisplayName, account.Role, "ui"), token, expiresAt);
    }

    /// <summary>
    /// The address failures are counted against: IPv4 as is, IPv6 by its /64, which one subscriber usually holds
    /// whole (per address, one host could rotate through 2^64 of them).
    /// </summary>
    internal static string Source(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}

public static class LoginEndpoint
{
    public static async Task<Results<Ok<Me>, ProblemHttpResult>> Handle(Login body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(session =>
        {
            context.Response.Cookies.Append(AmnifyAuthentication.SessionCookie, session.Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Expires = session.ExpiresAt,
                Path = "/",
            });
            return TypedResults.Ok(session.Me);
        });
}
