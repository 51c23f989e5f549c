using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Http;
using Amnify.Api.Secrets;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.CloudEnvironments;

/// <summary>
/// Changes the fields given. In <c>credentials</c>, a key with a value sets it, a key with null removes it,
/// and keys left out keep their values. An <c>approvalPolicy</c> replaces the whole policy; it governs runs triggered
/// from then on (each run keeps the policy it was triggered under).
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record UpdateCloudEnvironment(
    Guid Id, string? Name, string? Region, string? AccountId, Dictionary<string, string?>? Credentials, ApprovalPolicy? ApprovalPolicy = null)
    : ICommand<Result<CloudEnvironment>>;

public sealed record UpdateCloudEnvironmentBody(
    string? Name, string? Region, string? AccountId, Dictionary<string, string?>? Credentials, ApprovalPolicy? ApprovalPolicy = null);

public sealed class UpdateCloudEnvironmentValidator : AbstractValidator<UpdateCloudEnvironment>
{
    public UpdateCloudEnvironmentValidator()
    {
        RuleFor(x => x.Name).OptionalText("Name");
        RuleFor(x => x.Region).OptionalText("Region", 100);
        RuleFor(x => x.AccountId).OptionalText("Account id", 200);
        RuleFor(x => x.Credentials).CredentialMap(allowNull: true);
        RuleFor(x => x.ApprovalPolicy).Policy();
    }
}

public sealed class UpdateCloudEnvironmentHandler(Db db, SecretBox secrets, AuditTrail audit)
    : ICommandHandler<UpdateCloudEnvironment, Result<CloudEnvironment>>
{
    private const string LockCredentials = "SELECT credentials_encrypted, approval_policy FROM cloud_environments WHERE id = @Id FOR UPDATE";

    private sealed record Locked
    {
        public byte[]? CredentialsEncrypted { get; init; }
        public required ApprovalPolicy ApprovalPolicy { get; init; }
    }

    private const string Update = $"""
        UPDATE cloud_environments SET
            name = COALESCE(@Name, name),
            region = COALESCE(@Region, region),
            account_id = COALESCE(@AccountId, account_id),
            credential_keys = CASE WHEN @ChangeCredentials THEN @CredentialKeys ELSE credential_keys END,
            credentials_encrypted = CASE WHEN @ChangeCredentials THEN @CredentialsEncrypted ELSE credentials_encrypted END,
            approval_policy = COALESCE(@ApprovalPolicy::jsonb, approval_policy),
            updated_at = now()
        WHERE id = @Id
        RETURNING {CloudEnvironment.Columns}
        """;

    public async ValueTask<Result<CloudEnvironment>> Handle(UpdateCloudEnvironment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(LockCredentials, new { command.Id }, transaction, cancellationToken: cancellationToken));
        if (current is null) return Failure.NotFound($"Cloud environment {command.Id}");

        Dictionary<string, string>? credentials = null;
        if (command.Credentials is { Count: > 0 })
        {
            credentials = Credentials.Open(secrets, current.CredentialsEncrypted, command.Id);
            foreach (var (key, value) in command.Credentials)
                if (value is null) credentials.Remove(key);
                else credentials[key] = value;
        }

        try
        {
            var environment = await connection.QuerySingleAsync<CloudEnvironment>(new CommandDefinition(Update, new
            {
                command.Id,
                Name = command.Name?.Trim(),
                Region = command.Region?.Trim(),
                AccountId = command.AccountId?.Trim(),
                ChangeCredentials = credentials is not null,
                CredentialKeys = credentials?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [],
                CredentialsEncrypted = credentials is null ? null : Credentials.Seal(secrets, credentials, command.Id),
                ApprovalPolicy = command.ApprovalPolicy?.ToJson(),
            }, transaction, cancellationToken: cancellationToken));
            await audit.Record(connection, transaction, "cloudEnvironment.update", "cloudEnvironment", command.Id, Changes(command, current.ApprovalPolicy));
            await transaction.CommitAsync(cancellationToken);
            return environment;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Failure.Conflict($"Another cloud environment of this provider is already named '{command.Name?.Trim()}'.");
        }
    }

    /// <summary>What the audit records: the credentials touched (names only) and the approval policy, old → new.</summary>
    private static string? Changes(UpdateCloudEnvironment command, ApprovalPolicy before) => new[]
    {
        command.Credentials is { Count: > 0 } ? $"credentials: {string.Join(", ", command.Credentials.Keys)}" : null,
        command.ApprovalPolicy is { } after && after != before ? $"approvalPolicy: {before.ToJson()} → {after.ToJson()}" : null,
    }.OfType<string>().ToArray() is { Length: > 0 } changes ? string.Join("; ", changes) : null;
}

public static class UpdateCloudEnvironmentEndpoint
{
    public static async Task<Results<Ok<CloudEnvironment>, ProblemHttpResult>> Handle(
        Guid id, UpdateCloudEnvironmentBody body, ISender sender, CancellationToken ct) =>
        (await sender.Send(new UpdateCloudEnvironment(id, body.Name, body.Region, body.AccountId, body.Credentials, body.ApprovalPolicy), ct))
        .Match(TypedResults.Ok);
}
