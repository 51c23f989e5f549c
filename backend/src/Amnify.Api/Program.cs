using Amnify.Api.Auth;
using Amnify.Api.Behaviors;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.Approvals;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Features.Projects;
using Amnify.Api.Features.Providers;
using Amnify.Api.Features.Templates;
using Amnify.Api.Features.Webhooks;
using Amnify.Api.Http;
using Amnify.Api.Secrets;
using Amnify.Api.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddDatabase();
builder.AddMediatorPipeline();
builder.AddHttpPlumbing();
builder.AddSecrets();
builder.AddTemplates();
var role = builder.AddEngine();
builder.AddTelemetry(role);
builder.AddWebhooks(role);
builder.AddAuth();

var app = builder.Build();
await app.MigrateDatabaseAsync();
await app.CheckEngineAsync();

app.UseForwardedHeadersFromKnownProxies();
app.UseHttpPlumbing();
if (role.ServesApi)
{
    await app.BootstrapAccessAsync();
    await app.SyncTemplatesOnStartAsync();
    app.UseApiDocs();
    app.UseSpaFiles();
    app.UseAuth();

    var api = app.MapGroup("/api/v1").RefuseForeignBodies();
    api.MapAccess();
    api.MapProviders();
    api.MapProjects();
    api.MapCloudEnvironments();
    api.MapTemplates();
    api.MapDeployments();
    api.MapDeploymentRuns();
    api.MapPipelines();
    api.MapPipelineRuns();
    api.MapWebhooks();
    api.MapApprovals();
}

// A worker answers only its health probes and metrics: every other path is a 404.
app.MapHealth();
app.MapMetrics();
if (role.ServesApi) app.MapSpa();

app.Run();

public partial class Program;
