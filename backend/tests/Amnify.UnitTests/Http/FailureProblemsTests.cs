using Amnify.Api.Behaviors;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentAssertions;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Amnify.UnitTests.Http;

public sealed class FailureProblemsTests
{
    [Fact]
    public void Every_kind_has_its_own_status()
    {
        var statuses = Enum.GetValues<FailureKind>().Select(FailureProblems.StatusOf).ToList();
        statuses.Should().OnlyHaveUniqueItems().And.OnlyContain(s => s >= 400 && s < 500);
    }

    [Theory]
    [InlineData(FailureKind.Invalid, 400)]
    [InlineData(FailureKind.Unauthorized, 401)]
    [InlineData(FailureKind.Forbidden, 403)]
    [InlineData(FailureKind.NotFound, 404)]
    [InlineData(FailureKind.Conflict, 409)]
    [InlineData(FailureKind.Stale, 412)]
    [InlineData(FailureKind.Unusable, 422)]
    [InlineData(FailureKind.TooMany, 429)]
    public void Each_kind_keeps_the_status_the_api_has_always_answered(FailureKind kind, int status) =>
        FailureProblems.StatusOf(kind).Should().Be(status);

    [Fact]
    public void A_reference_error_is_answered_like_a_validation_error_naming_its_field()
    {
        var problem = Failure.Invalid("deploymentId", "No such deployment.").ToProblemDetails();

        problem.Should().BeOfType<ValidationProblemDetails>();
        problem.Status.Should().Be(400);
        problem.Title.Should().Be("One or more fields are invalid");
        problem.Detail.Should().Be("deploymentId: No such deployment.");
        ((ValidationProblemDetails)problem).Errors.Should().ContainKey("deploymentId").WhoseValue.Should().Equal("No such deployment.");
    }

    [Fact]
    public void Other_kinds_keep_their_title_and_detail()
    {
        var problem = Failure.Forbidden("Not you.", title: "Another approver is needed").ToProblemDetails();

        problem.Should().NotBeOfType<ValidationProblemDetails>();
        problem.Status.Should().Be(403);
        problem.Title.Should().Be("Another approver is needed");
        problem.Detail.Should().Be("Not you.");
        problem.Type.Should().Be("https://httpstatuses.io/403");
    }

    [Fact]
    public void A_declaration_lists_each_kind_once_in_status_order()
    {
        var declared = new DeclaredFailures([typeof(Declared)], [FailureKind.Stale, FailureKind.NotFound, FailureKind.Invalid, FailureKind.NotFound]);
        declared.Kinds.Should().Equal(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Stale);
    }

    [CanFail(FailureKind.NotFound)]
    public sealed record Declared(FailureKind Answer) : IQuery<Result<int>>;

    private static ValueTask<Result<int>> Answer(Declared message, CancellationToken _) => ValueTask.FromResult<Result<int>>(Failure.Conflict("no") with { Kind = message.Answer });

    [Theory]
    [InlineData("Testing")]
    [InlineData("Development")]
    public async Task A_handler_answering_an_undeclared_kind_fails_loudly_outside_production(string environment)
    {
        var behavior = new DeclaredFailureBehavior<Declared, Result<int>>(new Environment(environment), NullLogger<Declared>.Instance);

        var declared = await behavior.Handle(new Declared(FailureKind.NotFound), Answer, CancellationToken.None);
        declared.Failure!.Kind.Should().Be(FailureKind.NotFound);

        var undeclared = () => behavior.Handle(new Declared(FailureKind.Conflict), Answer, CancellationToken.None).AsTask();
        (await undeclared.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*Declared answered Conflict*");
    }

    [Fact]
    public async Task In_production_an_undeclared_kind_still_reaches_the_client()
    {
        var behavior = new DeclaredFailureBehavior<Declared, Result<int>>(new Environment("Production"), NullLogger<Declared>.Instance);
        var answer = await behavior.Handle(new Declared(FailureKind.Conflict), Answer, CancellationToken.None);
        answer.Failure!.Kind.Should().Be(FailureKind.Conflict);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Amnify.Api";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
