using Amnify.Api.Engine;

namespace Amnify.UnitTests.Engine;

public sealed class RunStateMachineTests
{
    [Fact]
    public void Apply_needs_both_approvals_in_order()
    {
        RunStateMachine.Allows(RunStatus.AwaitingPlanApproval, RunTrigger.ApproveApply).Should().BeFalse();
        RunStateMachine.Target(RunStatus.AwaitingPlanApproval, RunTrigger.ApprovePlan).Should().Be(RunStatus.AwaitingApplyApproval);
        RunStateMachine.Target(RunStatus.AwaitingApplyApproval, RunTrigger.ApproveApply).Should().Be(RunStatus.Applying);
        RunStateMachine.Target(RunStatus.AwaitingApplyApproval, RunTrigger.ApproveDestroy).Should().Be(RunStatus.Destroying);
        RunStateMachine.Allows(RunStatus.Planning, RunTrigger.ApprovePlan).Should().BeFalse();
    }

    [Theory]
    [InlineData(RunStatus.Applying)]
    [InlineData(RunStatus.Destroying)]
    [InlineData(RunStatus.Completed)]
    [InlineData(RunStatus.Failed)]
    public void Cancel_is_refused_once_the_cloud_is_being_changed_or_the_run_is_over(RunStatus status)
    {
        RunStateMachine.Allows(status, RunTrigger.Cancel).Should().BeFalse();
    }

    [Fact]
    public void A_run_that_began_to_apply_is_never_requeued()
    {
        RunStateMachine.Allows(RunStatus.Applying, RunTrigger.Requeue).Should().BeFalse();
        RunStateMachine.Allows(RunStatus.Destroying, RunTrigger.Requeue).Should().BeFalse();
        RunStateMachine.Allows(RunStatus.Planning, RunTrigger.Requeue).Should().BeTrue();
    }

    [Fact]
    public void Final_states_have_no_way_out()
    {
        var final = Enum.GetValues<RunStatus>().Where(s => s.IsTerminal());
        foreach (var status in final)
            Enum.GetValues<RunTrigger>().Where(t => RunStateMachine.Allows(status, t)).Should().BeEmpty($"{status} is final");
    }
}

public sealed class PipelineStateMachineTests
{
    [Fact]
    public void A_pipeline_run_mirrors_its_current_step()
    {
        PipelineStateMachine.Mirror(RunStatus.AwaitingPlanApproval).Should().Be(PipelineRunTrigger.StepAwaitsApproval);
        PipelineStateMachine.Mirror(RunStatus.AwaitingApplyApproval).Should().Be(PipelineRunTrigger.StepAwaitsApproval);
        PipelineStateMachine.Mirror(RunStatus.Applying).Should().Be(PipelineRunTrigger.StepWorks);
        PipelineStateMachine.Mirror(RunStatus.Pending).Should().Be(PipelineRunTrigger.StepWorks);
    }

    [Theory]
    [InlineData(RunStatus.Completed, PipelineStepTrigger.Complete)]
    [InlineData(RunStatus.Destroyed, PipelineStepTrigger.Complete)]
    [InlineData(RunStatus.NoChanges, PipelineStepTrigger.Skip)]
    [InlineData(RunStatus.Cancelled, PipelineStepTrigger.Cancel)]
    [InlineData(RunStatus.Failed, PipelineStepTrigger.Fail)]
    public void A_step_settles_as_its_deployment_run_ended(RunStatus ended, PipelineStepTrigger trigger)
    {
        PipelineStateMachine.Settle(ended).Should().Be(trigger);
    }

    [Fact]
    public void Final_pipeline_states_have_no_way_out()
    {
        foreach (var status in Enum.GetValues<PipelineRunStatus>().Where(s => s.IsTerminal()))
            Enum.GetValues<PipelineRunTrigger>().Where(t => PipelineStateMachine.Allows(status, t)).Should().BeEmpty($"{status} is final");
        PipelineStepStatus[] settled = [PipelineStepStatus.Completed, PipelineStepStatus.Skipped, PipelineStepStatus.Failed,
            PipelineStepStatus.Cancelled, PipelineStepStatus.NotRun];
        foreach (var status in settled)
            Enum.GetValues<PipelineStepTrigger>().Where(t => PipelineStateMachine.Allows(status, t)).Should().BeEmpty($"{status} is final");
    }

    [Fact]
    public void Only_a_step_that_has_not_begun_is_marked_not_run()
    {
        PipelineStateMachine.Allows(PipelineStepStatus.Running, PipelineStepTrigger.NotRun).Should().BeFalse();
        PipelineStateMachine.Allows(PipelineStepStatus.Pending, PipelineStepTrigger.NotRun).Should().BeTrue();
    }
}
