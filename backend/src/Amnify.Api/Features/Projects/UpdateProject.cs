using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Projects;

/// <summary>Changes the fields given; a field left out keeps its value.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record UpdateProject(Guid Id, string? Name, string? Description, string[]? Tags) : ICommand<Result<Project>>;

public sealed record UpdateProjectBody(string? Name, string? Description, string[]? Tags);

public sealed class UpdateProjectValidator : AbstractValidator<UpdateProject>
{
    public UpdateProjectValidator()
    {
        RuleFor(x => x.Name).OptionalText("Name");
        RuleFor(x => x.Description).Description();
        RuleFor(x => x.Tags).Tags();
    }
}

public sealed class UpdateProjectHandler(Db db, AuditTrail audit) : ICommandHandler<UpdateProject, Result<Project>>
{
    private const string Update = $"""
        UPDATE projects SET
            name = COALESCE(@Name, name),
            description = COALESCE(@Description, description),
            tags = COALESCE(@Tags, tags),
            updated_at = now()
        WHERE id = @Id
        RETURNING {Project.Columns}
        """;

    public async ValueTask<Result<Project>> Handle(UpdateProject command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var project = await connection.QuerySingleOrDefaultAsync<Project>(new CommandDefinition(Update, new
            {
                command.Id,
                Name = command.Name?.Trim(),
                Description = command.Description?.Trim(),
                Tags = FieldRules.CleanTags(command.Tags),
            }, transaction, cancellationToken: cancellationToken));
            if (project is null) return Failure.NotFound($"Project {command.Id}");
            await audit.Record(connection, transaction, "project.update", "project", project.Id);
            await transaction.CommitAsync(cancellationToken);
            return project;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Failure.Conflict($"Another project of this provider is already named '{command.Name?.Trim()}'.");
        }
    }
}

public static class UpdateProjectEndpoint
{
    public static async Task<Results<Ok<Project>, ProblemHttpResult>> Handle(
        Guid id, UpdateProjectBody body, ISender sender, CancellationToken ct) =>
        (await sender.Send(new UpdateProject(id, body.Name, body.Description, body.Tags), ct)).Match(TypedResults.Ok);
}
