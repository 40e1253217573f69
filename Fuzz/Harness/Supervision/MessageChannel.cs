using System.Text;
using System.Text.Json.Nodes;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A child's line of messages to its supervisor: one JSON object per line on the real standard output.
/// Everything else the process prints goes to standard error (the console's output is redirected there),
/// so nothing the code under test writes can be taken for a message.
/// </summary>
internal sealed class MessageChannel
{
    private readonly StreamWriter _writer;
    private readonly object _lock = new();

    private MessageChannel(Stream stream) =>
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true, NewLine = "\n" };

    /// <summary>Takes over standard output for messages, and sends the console's output to standard error.</summary>
    public static MessageChannel OverStandardOutput()
    {
        var channel = new MessageChannel(Console.OpenStandardOutput());
        Console.SetOut(Console.Error);
        return channel;
    }

    /// <summary>Sends one message (thread-safe).</summary>
    public void Send(JsonObject message)
    {
        string line = message.ToJsonString();
        lock (_lock) _writer.WriteLine(line);
    }
}
