using System.Net;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.Projects;

namespace Amnify.Api.Tests;

/// <summary>Creates the data a test needs through the API, each time with fresh names.</summary>
public static class Seed
{
    public static async Task SyncExamples(this HttpClient client) =>
        (await client.PostEmpty("/api/v1/templates/sync")).EnsureSuccessStatusCode();

    public static async Task<Project> Project(this HttpClient client, string provider = "aws") =>
        await Created<Project>(await client.PostJson("/api/v1/projects", new { provider, name = HttpExtensions.Unique("Project") }));

    public static async Task<CloudEnvironment> Environment(this HttpClient client, string provider = "aws", string region = "eu-west-1") =>
        await Created<CloudEnvironment>(await client.PostJson("/api/v1/cloud-environments", new
        {
            provider, name = HttpExtensions.Unique("Env"), region, accountId = "123456789012",
            credentials = new Dictionary<string, string> { ["CLOUD_TOKEN"] = "token-value" },
        }));

    /// <summary>A deployment of an example template (network unless told) with valid values.</summary>
    public static async Task<Deployment> Deployment(
        this HttpClient client, string provider = "aws", string template = "network", Dictionary<string, object?>? variables = null,
        Guid? projectId = null)
    {
        var project = projectId ?? (await client.Project(provider)).Id;
        var environment = await client.Environment(provider);
        return await Created<Deployment>(await client.PostJson("/api/v1/deployments", new
        {
            projectId = project, templateId = $"{provider}-{template}", cloudEnvironmentId = environment.Id,
            name = HttpExtensions.Unique(template), variables = variables ?? ExampleValues(template),
        }));
    }

    public static Dictionary<string, object?> ExampleValues(string template) => template switch
    {
        "database" => new() { ["name"] = "db", ["admin_password"] = "Sup3r-secret" },
        "application" => new() { ["name"] = "web", ["image"] = "nginx:1.27" },
        _ => new() { ["name"] = "net" },
    };

    private static async Task<T> Created<T>(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<T>();
    }
}
