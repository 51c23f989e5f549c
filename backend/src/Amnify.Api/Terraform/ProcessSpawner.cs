using System.Collections.Concurrent;
using System.Diagnostics;

namespace Amnify.Api.Terraform;

/// <summary>
/// Starts every engine child process from one dedicated thread that lives as long as the process.
/// Why: the sandbox asks the kernel to kill a child when its parent dies (bwrap's --die-with-parent and
/// setpriv's --pdeathsig are PR_SET_PDEATHSIG), and Linux fires that signal when the <em>thread</em>
/// that forked the child exits, not the process. .NET forks on the calling thread, which for async code
/// is a thread-pool thread the runtime retires after it idles — killing a two-hour apply mid-way.
/// This thread never exits, so a child's "parent" dies exactly when the worker process does.
/// </summary>
public static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = new();

    static ProcessSpawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (start, started) in Requests.GetConsumingEnumerable())
            {
                try { started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.")); }
                catch (Exception e) { started.SetException(e); }
            }
        })
        { IsBackground = true, Name = "amnify-process-spawner" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="start"/> on the spawner thread; the task ends once the process exists.</summary>
    public static Task<Process> Start(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }
}
