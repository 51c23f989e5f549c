using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>An admin adds a person with a role and a first password.</summary>
[CanFail(FailureKind.Invalid, FailureKind.Conflict)]
public sealed record CreateUser(string Email, string DisplayName, Role Role, string Password) : ICommand<Result<User>>;

public sealed class CreateUserValidator : AbstractValidator<CreateUser>
{
    public CreateUserValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("Email is required.").EmailAddress().MaximumLength(320);
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage("Display name is required.").MaximumLength(200);
        RuleFor(x => x.Role).IsInEnum().WithMessage("Role is required: viewer, operator, approver or admin.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.").Password();
    }
}

public sealed class CreateUserHandler(Db db, PasswordCheck passwords, AuditTrail audit) : ICommandHandler<CreateUser, Result<User>>
{
    private const string Insert = $"""
        INSERT INTO users (id, email, display_name, role, password_hash) VALUES (@Id, @Email, @DisplayName, @Role, @PasswordHash)
        ON CONFLICT DO NOTHING RETURNING {User.Columns}
        """;

    public async ValueTask<Result<User>> Handle(CreateUser command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(Insert, new
        {
            Id = Guid.CreateVersion7(), Email = command.Email.Trim(), DisplayName = command.DisplayName.Trim(),
            Role = command.Role.Code(), PasswordHash = passwords.Hash(command.Password),
        }, transaction, cancellationToken: cancellationToken));
        if (user is null) return Failure.Conflict($"A user with email '{command.Email.Trim()}' already exists.");
        await audit.Record(connection, transaction, "user.create", "user", user.Id, $"role {command.Role.Code()}");
        await transaction.CommitAsync(cancellationToken);
        return user;
    }
}

public static class CreateUserEndpoint
{
    public static async Task<Results<Created<User>, ProblemHttpResult>> Handle(CreateUser body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(u => TypedResults.Created(context.PathTo("UpdateUser", u.Id), u));
}
