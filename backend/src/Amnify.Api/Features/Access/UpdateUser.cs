using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>An admin changes a user's role, name or password, or disables them (which ends their sessions).</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record UpdateUser(Guid Id, string? DisplayName, Role? Role, bool? Disabled, string? Password) : ICommand<Result<User>>;

public sealed record UpdateUserBody(string? DisplayName, Role? Role, bool? Disabled, string? Password);

public sealed class UpdateUserValidator : AbstractValidator<UpdateUser>
{
    public UpdateUserValidator()
    {
        RuleFor(x => x.DisplayName).Must(n => n is null || n.Trim().Length is > 0 and <= 200).WithMessage("Display name must be 1 to 200 characters.");
        RuleFor(x => x.Role).IsInEnum();
        RuleFor(x => x.Password).Password();
    }
}

public sealed class UpdateUserHandler(Db db, PasswordCheck passwords, AuditTrail audit, VerifiedCredentials credentials) : ICommandHandler<UpdateUser, Result<User>>
{
    private const string Update = $"""
        UPDATE users SET display_name = COALESCE(@DisplayName, display_name), role = COALESCE(@Role, role),
            disabled = COALESCE(@Disabled, disabled), password_hash = COALESCE(@PasswordHash, password_hash), updated_at = now()
        WHERE id = @Id RETURNING {User.Columns}
        """;

    private const string EndSessions = "DELETE FROM sessions WHERE user_id = @Id";

    // Someone must always be able to manage users: the last active admin can be neither demoted nor disabled.
    private const string OtherAdmins = """
        SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> @Id AND password_hash IS NOT NULL
        """;

    public async ValueTask<Result<User>> Handle(UpdateUser command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));
        var removesAdmin = command.Disabled == true || command.Role is { } newRole && newRole != Role.Admin;
        if (removesAdmin && await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT role = 'admin' FROM users WHERE id = @Id", new { command.Id }, transaction, cancellationToken: cancellationToken))
            && await connection.ExecuteScalarAsync<long>(new CommandDefinition(OtherAdmins, new { command.Id }, transaction, cancellationToken: cancellationToken)) == 0)
            return Failure.Conflict("This is the last admin who can sign in: make someone else admin first.");
        var user = await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(Update, new
        {
            command.Id, DisplayName = command.DisplayName?.Trim(), Role = command.Role?.Code(), command.Disabled,
            PasswordHash = command.Password is null ? null : passwords.Hash(command.Password),
        }, transaction, cancellationToken: cancellationToken));
        if (user is null) return Failure.NotFound($"User {command.Id}");
        if (command.Disabled == true || command.Password is not null) await connection.ExecuteAsync(new CommandDefinition(EndSessions, new { command.Id }, transaction, cancellationToken: cancellationToken));
        var changes = string.Join(", ", new[]
        {
            command.Role is { } r ? $"role {r.Code()}" : null, command.Disabled is { } d ? (d ? "disabled" : "enabled") : null,
            command.Password is null ? null : "password", command.DisplayName is null ? null : "display name",
        }.Where(c => c is not null));
        await audit.Record(connection, transaction, "user.update", "user", user.Id, changes);
        await transaction.CommitAsync(cancellationToken);
        // Role, disabled and sessions are what every cached credential of this user stands on.
        if (command.Role is not null || command.Disabled is not null || command.Password is not null)
            await credentials.EvictEverywhere(connection, cancellationToken);
        return user;
    }
}

public static class UpdateUserEndpoint
{
    public static async Task<Results<Ok<User>, ProblemHttpResult>> Handle(Guid id, UpdateUserBody body, ISender sender, CancellationToken ct) =>
        (await sender.Send(new UpdateUser(id, body.DisplayName, body.Role, body.Disabled, body.Password), ct)).Match(TypedResults.Ok);
}
