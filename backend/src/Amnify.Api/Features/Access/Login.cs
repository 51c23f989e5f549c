using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>Signs in with email and password; answers who you are and sets the session cookie.</summary>
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

public sealed class LoginHandler(Db db, PasswordCheck passwords, AuditTrail audit) : ICommandHandler<Login, Result<Login.Session>>
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private const string Find = """
        SELECT id, email, display_name, role, password_hash, disabled, failed_logins, locked_until > now() AS locked
        FROM users WHERE lower(email) = lower(@Email) FOR UPDATE
        """;

    private const string Failed = """
        UPDATE users SET
            failed_logins = CASE WHEN failed_logins + 1 >= @MaxFailures THEN 0 ELSE failed_logins + 1 END,
            locked_until = CASE WHEN failed_logins + 1 >= @MaxFailures THEN now() + make_interval(mins => @LockoutMinutes) ELSE locked_until END
        WHERE id = @Id
        """;

    private const string Succeeded = """
        UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id;
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
        public bool? Locked { get; init; }
    }

    public async ValueTask<Result<Login.Session>> Handle(Login command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(Find, new { command.Email }, transaction);
        var wrong = new Failure(StatusCodes.Status401Unauthorized, "Sign-in failed", "The email or password is wrong, or the account is disabled.");
        if (account is { Locked: true })
        {
            await audit.Record(connection, transaction, "auth.login.locked", "user", account.Id, actor: command.Email);
            await transaction.CommitAsync(cancellationToken);
            return new Failure(StatusCodes.Status429TooManyRequests, "Account locked",
                $"Too many failed sign-ins: the account is locked for {Lockout.TotalMinutes} minutes.");
        }
        if (account is null || account.Disabled || !passwords.Verify(account.PasswordHash, command.Password))
        {
            if (account is not null)
                await connection.ExecuteAsync(Failed, new { account.Id, MaxFailures, LockoutMinutes = (int)Lockout.TotalMinutes }, transaction);
            await audit.Record(connection, transaction, "auth.login.failed", "user", account?.Id, actor: command.Email);
            await transaction.CommitAsync(cancellationToken);
            return wrong;
        }
        var token = Tokens.NewSessionToken();
        var expiresAt = DateTimeOffset.UtcNow.Add(SessionLifetime);
        await connection.ExecuteAsync(Succeeded, new { account.Id, Hash = Tokens.Hash(token), ExpiresAt = expiresAt }, transaction);
        await audit.Record(connection, transaction, "auth.login", "user", account.Id, actor: account.Email);
        await transaction.CommitAsync(cancellationToken);
        return new Login.Session(new Me(account.Id, account.Email, account.DisplayName, account.Role, "ui"), token, expiresAt);
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
