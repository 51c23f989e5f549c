using Amnify.Api.Auth;

namespace Amnify.Api.Features.Projects;

public static class ProjectsEndpoints
{
    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapGet("/", ListProjectsEndpoint.Handle).WithName("ListProjects").RequireAuthorization(Policies.Read)
            .WithSummary("Projects, filtered by provider and name, a page at a time.").ProducesValidationProblem();
        group.MapPost("/", CreateProjectEndpoint.Handle).WithName("CreateProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Creates a project.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}", GetProjectEndpoint.Handle).WithName("GetProject").RequireAuthorization(Policies.Read)
            .WithSummary("One project.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", UpdateProjectEndpoint.Handle).WithName("UpdateProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Changes a project's name, description or tags.").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteProjectEndpoint.Handle).WithName("DeleteProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Deletes a project that holds no deployments.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
