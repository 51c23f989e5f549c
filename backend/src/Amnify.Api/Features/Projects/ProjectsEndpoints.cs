using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Projects;

public static class ProjectsEndpoints
{
    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapGet("/", ListProjectsEndpoint.Handle).WithName("ListProjects").RequireAuthorization(Policies.Read)
            .WithSummary("Projects, filtered by provider and name, a page at a time.").Fails<ListProjects>();
        group.MapPost("/", CreateProjectEndpoint.Handle).WithName("CreateProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Creates a project.").Fails<CreateProject>();
        group.MapGet("/{id:guid}", GetProjectEndpoint.Handle).WithName("GetProject").RequireAuthorization(Policies.Read)
            .WithSummary("One project.").Fails<GetProject>();
        group.MapPatch("/{id:guid}", UpdateProjectEndpoint.Handle).WithName("UpdateProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Changes a project's name, description or tags.").Fails<UpdateProject>();
        group.MapDelete("/{id:guid}", DeleteProjectEndpoint.Handle).WithName("DeleteProject").RequireAuthorization(Policies.Operate)
            .WithSummary("Deletes a project that holds no deployments.").Fails<DeleteProject>();
        return api;
    }
}
