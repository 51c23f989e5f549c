using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

/// <summary>
/// Creates a personal token, or a pipeline trigger token for CI (operators and up). Stored as a hash.
/// A token made with a token (<paramref name="CreatedByTokenId"/>) cannot outlive it: its expiry is capped at its
/// maker's, and revoking the maker revokes it too — so a stolen token cannot be turned into a longer-lived one.
/// Tokens made from a signed-in session are not capped.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.Forbidden)]
public sealed record CreateApiToken(Guid UserId, Role CallerRole, string Name, string? Kind, Guid? PipelineId, int? ExpiresInDays, Guid? CreatedByTokenId)
    : ICommand<Result<CreatedApiToken>>;

public sealed record CreateApiTokenBody(string Name, [property: AllowedValues("personal", "pipeline", null)] string? Kind, Guid? PipelineId, int? ExpiresInDays);

public sealed class CreateApiTokenValidator : AbstractValidator<CreateApiToken>
{
    public CreateApiTokenValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(100);
        RuleFor(x => x.Kind).Must(k => k is null or "personal" or "pipeline").WithMessage("Kind must be personal or pipeline.");
        RuleFor(x => x.PipelineId).NotNull().When(x => x.Kind == "pipeline").WithMessage("A pipeline token needs pipelineId.");
        RuleFor(x => x.PipelineId).Null().When(x => x.Kind != "pipeline").WithMessage("Only a pipeline token has a pipelineId.");
        RuleFor(x => x.ExpiresInDays).InclusiveBetween(1, 365);
    }
}

public sealed class CreateApiTokenHandler(Db db, AuditTrail audit) : ICommandHandler<CreateApiToken, Result<CreatedApiToken>>
{
    private const string Insert = """
        INSERT INTO api_tokens (id, name, kind, user_id, pipeline_id, token_hash, prefix, expires_at, created_by_token_id)
        VALUES (@Id, @Name, @Kind, @UserId, @PipelineId, @Hash, @Prefix,
                -- LEAST ignores NULL: no maker, or a maker that never expires, leaves the requested expiry.
                LEAST(now() + make_interval(days => @Days), (SELECT expires_at FROM api_tokens WHERE id = @CreatedByTokenId)),
                @CreatedByTokenId)
        """;

    public async ValueTask<Result<CreatedApiToken>> Handle(CreateApiToken command, CancellationToken cancellationToken)
    {
        var kind = command.Kind ?? "personal";
        if (kind == "pipeline" && command.CallerRole < Role.Operator)
            return Failure.Forbidden("Creating a pipeline trigger token needs the operator role.");
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (command.PipelineId is { } pipeline && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM pipelines WHERE id = @pipeline)", new { pipeline }, transaction, cancellationToken: cancellationToken)))
            return Failure.Invalid("pipelineId", "No such pipeline.");
        var token = Tokens.NewApiToken();
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = id, Name = command.Name.Trim(), Kind = kind, command.UserId, command.PipelineId,
            Hash = Tokens.Hash(token), Prefix = token[..10], Days = command.ExpiresInDays ?? 90, command.CreatedByTokenId,
        }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "token.create", "token", id,
            (kind == "pipeline" ? $"pipeline {command.PipelineId}" : "personal") + (command.CreatedByTokenId is { } maker ? $", made with token {maker}" : ""));
        var created = await connection.QuerySingleAsync<ApiToken>(new CommandDefinition($"{ApiToken.Select} WHERE t.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new CreatedApiToken(token, created);
    }
}

public static class CreateApiTokenEndpoint
{
    public static async Task<Results<Created<CreatedApiToken>, ProblemHttpResult>> Handle(
        CreateApiTokenBody body, ClaimsPrincipal user, HttpContext context, ISender sender, CancellationToken ct)
    {
        var role = Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role)!, ignoreCase: true);
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var maker = Guid.TryParse(user.FindFirstValue(AmnifyAuthentication.TokenClaim), out var tokenId) ? tokenId : (Guid?)null;
        return (await sender.Send(new CreateApiToken(userId, role, body.Name, body.Kind, body.PipelineId, body.ExpiresInDays, maker), ct))
            .Match(t => TypedResults.Created(context.PathTo("RevokeApiToken", t.ApiToken.Id), t));
    }
}
