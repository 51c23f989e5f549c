using System.Text.Json;
using System.Text.RegularExpressions;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Contract;

/// <summary>
/// What a route can answer is what its OpenAPI entry says: each route declares the messages it sends
/// (<c>.Fails&lt;TMessage&gt;()</c>), each message the kinds it can fail with (<c>[CanFail]</c>, held to by the
/// mediator), and the served document must list every one of those kinds' statuses for that route.
/// </summary>
[Collection(nameof(ContractCollection))]
public sealed partial class DeclaredFailuresTests(ApiFactory api)
{
    private sealed record Route(string Method, string Path, DeclaredFailures? Declared, string Name);

    private IReadOnlyList<Route> Routes() =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new Route(
                m, OpenApiPath(e.RoutePattern.RawText!), e.Metadata.GetMetadata<DeclaredFailures>(), e.DisplayName ?? e.RoutePattern.RawText!)))
            .ToList();

    /// <summary>"/api/v1/pipelines/{id:guid}/" → "/api/v1/pipelines/{id}", as the document spells paths.</summary>
    private static string OpenApiPath(string pattern) => RouteConstraint().Replace(pattern, "{$1}").TrimEnd('/');

    [Fact]
    public void Every_api_route_declares_what_it_can_fail_with()
    {
        var routes = Routes();
        routes.Should().HaveCountGreaterThan(40);
        routes.Where(r => r.Declared is null).Select(r => $"{r.Method} {r.Path}").Should().BeEmpty(
            because: "every /api/v1 route says with .Fails<TMessage>() (or .Fails(kinds) when it sends no message) what it can answer");
    }

    [Fact]
    public async Task Every_kind_a_route_can_answer_is_in_its_openapi_entry()
    {
        using var document = JsonDocument.Parse(await api.CreateClient().GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");
        var missing = new List<string>();
        foreach (var route in Routes().Where(r => r.Declared is not null))
        {
            var possible = route.Declared!.Messages.SelectMany(CanFailAttribute.Of).Concat(route.Declared.Kinds).Distinct();
            var operation = paths.GetProperty(route.Path).GetProperty(route.Method.ToLowerInvariant());
            var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            missing.AddRange(possible.Where(k => !documented.Contains(FailureProblems.StatusOf(k).ToString()))
                .Select(k => $"{route.Method} {route.Path}: {k} ({FailureProblems.StatusOf(k)})"));
        }
        missing.Should().BeEmpty();
    }

    [Fact]
    public void A_message_with_a_validator_can_fail_as_Invalid()
    {
        var validated = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .SelectMany(t => t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(AbstractValidator<>)
                ? [b.GetGenericArguments()[0]] : Array.Empty<Type>())
            .ToList();
        validated.Should().NotBeEmpty();
        validated.Where(m => !CanFailAttribute.Of(m).Contains(FailureKind.Invalid)).Select(m => m.Name).Should().BeEmpty(
            because: "the validation behavior answers Invalid for these messages before their handler runs");
    }

    [Fact]
    public void Every_message_that_answers_a_result_says_how_it_can_fail_and_some_route_declares_it()
    {
        var failable = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IMessage).IsAssignableFrom(t))
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType
                && i.GetGenericArguments()[0] is { IsGenericType: true } r && r.GetGenericTypeDefinition() == typeof(Result<>)))
            .ToList();
        failable.Should().NotBeEmpty();
        failable.Where(m => CanFailAttribute.Of(m).Count == 0).Select(m => m.Name).Should().BeEmpty();

        var declared = Routes().Where(r => r.Declared is not null).SelectMany(r => r.Declared!.Messages).ToHashSet();
        failable.Where(m => !declared.Contains(m)).Select(m => m.Name).Should().BeEmpty(
            because: "a route that sends a message declares it, so its kinds reach OpenAPI");
    }

    [Theory]
    [InlineData("POST", "/api/v1/deployment-runs/{id}/approve-apply", FailureKind.Forbidden)]
    [InlineData("PATCH", "/api/v1/users/{id}", FailureKind.Conflict)]
    [InlineData("PATCH", "/api/v1/deployments/{id}", FailureKind.Forbidden)]
    public void Refusals_that_went_undeclared_are_declared_now(string method, string path, FailureKind kind) =>
        Routes().Single(r => r.Method == method && r.Path == path).Declared!.Kinds.Should().Contain(kind);

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();
}
