using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Amnify.Api.Secrets;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.CloudEnvironments;

[CanFail(FailureKind.Invalid, FailureKind.Conflict)]
public sealed record CreateCloudEnvironment(
    CloudProvider Provider, string Name, string Region, string AccountId, Dictionary<string, string?>? Credentials,
    ApprovalPolicy? ApprovalPolicy = null)
    : ICommand<Result<CloudEnvironment>>;

public sealed class CreateCloudEnvironmentValidator : AbstractValidator<CreateCloudEnvironment>
{
    public CreateCloudEnvironmentValidator()
    {
        RuleFor(x => x.Provider).IsInEnum().WithMessage("Provider is required: aws, azure or gcp.");
        RuleFor(x => x.Name).RequiredText("Name");
        RuleFor(x => x.Region).RequiredText("Region", 100);
        RuleFor(x => x.AccountId).RequiredText("Account id", 200);
        RuleFor(x => x.Credentials).CredentialMap(allowNull: false);
        RuleFor(x => x.ApprovalPolicy).Policy();
    }
}

public sealed class CreateCloudEnvironmentHandler(Db db, SecretBox secrets, AuditTrail audit)
    : ICommandHandler<CreateCloudEnvironment, Result<CloudEnvironment>>
{
    private const string Insert = $"""
        INSERT INTO cloud_environments (id, provider, name, region, account_id, credential_keys, credentials_encrypted, approval_policy)
        VALUES (@Id, @Provider, @Name, @Region, @AccountId, @CredentialKeys, @CredentialsEncrypted, @ApprovalPolicy::jsonb)
        ON CONFLICT DO NOTHING
        RETURNING {CloudEnvironment.Columns}
        """;

    public async ValueTask<Result<CloudEnvironment>> Handle(CreateCloudEnvironment command, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var credentials = (command.Credentials ?? []).ToDictionary(c => c.Key, c => c.Value!);
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var environment = await connection.QuerySingleOrDefaultAsync<CloudEnvironment>(new CommandDefinition(Insert, new
        {
            Id = id,
            Provider = command.Provider.Code(),
            Name = command.Name.Trim(),
            Region = command.Region.Trim(),
            AccountId = command.AccountId.Trim(),
            CredentialKeys = credentials.Keys.Order(StringComparer.Ordinal).ToArray(),
            CredentialsEncrypted = Credentials.Seal(secrets, credentials, id),
            ApprovalPolicy = (command.ApprovalPolicy ?? new ApprovalPolicy()).ToJson(),
        }, transaction, cancellationToken: cancellationToken));
        if (environment is null)
            return Failure.Conflict($"A cloud environment named '{command.Name.Trim()}' already exists for {command.Provider.Code()}.");
        await audit.Record(connection, transaction, "cloudEnvironment.create", "cloudEnvironment", id);
        await transaction.CommitAsync(cancellationToken);
        return environment;
    }
}

public static class CreateCloudEnvironmentEndpoint
{
    public static async Task<Results<Created<CloudEnvironment>, ProblemHttpResult>> Handle(
        CreateCloudEnvironment body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(e => TypedResults.Created(context.PathTo("GetCloudEnvironment", e.Id), e));
}
