using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Projects;

[CanFail(FailureKind.Invalid, FailureKind.Conflict)]
public sealed record CreateProject(CloudProvider Provider, string Name, string? Description, string[]? Tags)
    : ICommand<Result<Project>>;

public sealed class CreateProjectValidator : AbstractValidator<CreateProject>
{
    public CreateProjectValidator()
    {
        RuleFor(x => x.Provider).IsInEnum().WithMessage("Provider is required: aws, azure or gcp.");
        RuleFor(x => x.Name).RequiredText("Name");
        RuleFor(x => x.Description).Description();
        RuleFor(x => x.Tags).Tags();
    }
}

public sealed class CreateProjectHandler(Db db, AuditTrail audit) : ICommandHandler<CreateProject, Result<Project>>
{
    // The unique index on (provider, lower(name)) decides duplicates, so two racing creates cannot both win.
    private const string Insert = $"""
        INSERT INTO projects (id, provider, name, description, tags)
        VALUES (@Id, @Provider, @Name, @Description, @Tags)
        ON CONFLICT DO NOTHING
        RETURNING {Project.Columns}
        """;

    public async ValueTask<Result<Project>> Handle(CreateProject command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var name = command.Name.Trim();
        var project = await connection.QuerySingleOrDefaultAsync<Project>(new CommandDefinition(Insert, new
        {
            Id = Guid.CreateVersion7(),
            Provider = command.Provider.Code(),
            Name = name,
            Description = command.Description?.Trim() ?? "",
            Tags = FieldRules.CleanTags(command.Tags) ?? [],
        }, transaction, cancellationToken: cancellationToken));
        if (project is null) return Failure.Conflict($"A project named '{name}' already exists for {command.Provider.Code()}.");
        await audit.Record(connection, transaction, "project.create", "project", project.Id);
        await transaction.CommitAsync(cancellationToken);
        return project;
    }
}

public static class CreateProjectEndpoint
{
    public static async Task<Results<Created<Project>, ProblemHttpResult>> Handle(
        CreateProject body, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(body, ct)).Match(p => TypedResults.Created(context.PathTo("GetProject", p.Id), p));
}
