using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// One child process of a supervisor: started with the limits it must keep, messages from it as JSON
/// lines on its standard output (read on a thread of their own), messages to it on its standard input,
/// the tail of what it printed on standard error (what a crash leaves behind), and its resident memory.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    /// <summary>Characters of standard error kept: enough for a crash's headline and a stack, never a flood.</summary>
    private const int StderrTailChars = 16 * 1024;

    private readonly Process _process;
    private readonly BlockingCollection<JsonObject> _messages = new();
    private readonly StringBuilder _stderr = new();
    private readonly Thread _reader;
    private bool _killed;

    private ChildProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Append(e.Data).Append('\n');
                if (_stderr.Length > 2 * StderrTailChars) _stderr.Remove(0, _stderr.Length - StderrTailChars);
            }
        };
        _process.BeginErrorReadLine();
        _reader = new Thread(ReadMessages) { IsBackground = true, Name = $"child-{process.Id}-messages" };
        _reader.Start();
    }

    /// <summary>
    /// Starts <paramref name="command"/> with <paramref name="arguments"/> under <paramref name="limits"/>, with
    /// <paramref name="environment"/> added to this process's (what the implementation needs: <see cref="Implementations.ImplementationSpec.ChildEnvironment"/>).
    /// </summary>
    public static ChildProcess Start(ChildCommand command, IEnumerable<string> arguments, SupervisionOptions limits, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Prefix.Concat(arguments)) start.ArgumentList.Add(argument);
        // The runtime's own heap limit turns a runaway allocation into an OutOfMemoryException the child
        // reports as an oom finding itself; the resident-memory watch catches what the heap cannot see.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)limits.RssLimitMb << 20).ToString("x", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command.FileName}");
        process.StandardInput.AutoFlush = true;
        return new ChildProcess(process);
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the child has exited (or been killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>True when this supervisor killed the child (a timeout, the memory limit, or the end of the run).</summary>
    public bool WasKilled => _killed;

    /// <summary>The child's exit code; for a child killed by signal N, 128 + N.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last of what the child printed on standard error.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr)
                return _stderr.Length <= StderrTailChars ? _stderr.ToString() : _stderr.ToString(_stderr.Length - StderrTailChars, StderrTailChars);
        }
    }

    /// <summary>The child's resident memory in bytes; 0 once it is gone.</summary>
    public long ResidentBytes
    {
        get
        {
            try
            {
                // /proc/PID/statm: size resident shared ... in pages.
                string[] fields = File.ReadAllText($"/proc/{_process.Id}/statm").Split(' ');
                return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                try
                {
                    _process.Refresh();
                    return _process.HasExited ? 0 : _process.WorkingSet64;
                }
                catch (InvalidOperationException)
                {
                    return 0;
                }
            }
        }
    }

    /// <summary>The next message, waiting at most <paramref name="wait"/>; false when none came (or the child's output ended).</summary>
    public bool TryReceive(TimeSpan wait, out JsonObject message)
    {
        try
        {
            if (_messages.TryTake(out JsonObject? taken, wait))
            {
                message = taken;
                return true;
            }
        }
        catch (InvalidOperationException)
        {
            // Completed: the child closed its output.
        }
        message = null!;
        return false;
    }

    /// <summary>True when the child closed its output and every message has been taken.</summary>
    public bool OutputEnded => _messages.IsCompleted;

    /// <summary>Sends one message; false when the child is no longer listening.</summary>
    public bool Send(JsonObject message)
    {
        try
        {
            _process.StandardInput.WriteLine(message.ToJsonString());
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for the child to exit and for everything it wrote to be read (its last messages, its last words
    /// on standard error); true if it exited within <paramref name="wait"/>.
    /// </summary>
    public bool WaitForExit(TimeSpan wait)
    {
        if (!_process.WaitForExit(wait)) return false;
        _process.WaitForExit(); // lets the standard error reader drain
        _reader.Join(wait);     // and the message reader: a message sent just before exit is not lost
        return true;
    }

    /// <summary>Kills the child (and anything it started) and waits for it to be gone.</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        WaitForExit(TimeSpan.FromSeconds(10));
    }

    private void ReadMessages()
    {
        try
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                JsonObject? message = null;
                try
                {
                    message = JsonNode.Parse(line) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    // Not a message: the child printed something else; nothing to act on.
                }
                if (message is not null) _messages.Add(message);
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            _messages.CompleteAdding();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
