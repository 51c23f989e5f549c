using Amnify.Api.Engine;

namespace Amnify.UnitTests.Engine;

public sealed class RunStatusesTests
{
    [Fact]
    public void A_status_code_is_its_camel_case_name()
    {
        RunStatus.AwaitingPlanApproval.Code().Should().Be("awaitingPlanApproval");
        PipelineRunStatus.AwaitingApproval.Code().Should().Be("awaitingApproval");
        PipelineStepStatus.NotRun.Code().Should().Be("notRun");
        RunOperation.Destroy.Code().Should().Be("destroy");
    }

    [Fact]
    public void The_final_states_are_those_of_the_sql_list()
    {
        Enum.GetValues<RunStatus>().Where(s => s.IsTerminal())
            .Should().BeEquivalentTo([RunStatus.Completed, RunStatus.Destroyed, RunStatus.NoChanges, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Rejected, RunStatus.Expired]);
        Enum.GetValues<PipelineRunStatus>().Where(s => s.IsTerminal())
            .Should().BeEquivalentTo([PipelineRunStatus.Completed, PipelineRunStatus.Failed, PipelineRunStatus.Cancelled, PipelineRunStatus.Rejected, PipelineRunStatus.Expired]);
    }

    [Fact]
    public void Every_status_is_either_final_or_active()
    {
        RunStatuses.PipelineActive.Should().NotIntersectWith(RunStatuses.PipelineTerminal);
        RunStatuses.PipelineActive.Union(RunStatuses.PipelineTerminal).Should().BeEquivalentTo(Enum.GetValues<PipelineRunStatus>());
        var holdsLock = RunStatuses.Parse<RunStatus>(RunStatuses.Sql.HoldsLock);
        var inLine = RunStatuses.Parse<RunStatus>(RunStatuses.Sql.InLine);
        holdsLock.Concat(inLine).Concat(RunStatuses.Terminal).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(Enum.GetValues<RunStatus>());
    }

    [Fact]
    public void The_engine_only_ever_works_on_runs_that_hold_their_deployment()
    {
        RunStatuses.Parse<RunStatus>(RunStatuses.Sql.HoldsLock).Should().BeEquivalentTo(RunStatuses.Working.Union(RunStatuses.AwaitingApproval));
        RunStatuses.Parse<RunStatus>(RunStatuses.Sql.ChangingCloud).Should().BeSubsetOf(RunStatuses.Working);
    }

    [Fact]
    public void An_unknown_code_in_a_list_is_refused()
    {
        var parse = () => RunStatuses.Parse<RunStatus>("'queued', 'paused'");
        parse.Should().Throw<InvalidOperationException>();
    }
}
