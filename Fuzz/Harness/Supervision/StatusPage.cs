using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A page of shared memory a child process writes and its supervisor reads, AFL++'s <c>.cur_input</c> and
/// stats in one: the input being run, the step it is at (and of several implementations, which), a serial number that moves with every input
/// (the heartbeat), the execution counters and the feature bitmap. Nothing is sent per input: the child
/// writes a few words, the supervisor looks when it wants to, and after the child has died the page
/// still says what it was doing.
/// </summary>
/// <remarks>
/// A file mapped by both processes (in <c>/dev/shm</c> where there is one). Every field has one writer,
/// the child; the supervisor only reads. The input is guarded by a sequence number, odd while it is
/// being written (a seqlock), so the supervisor never keeps an input torn by a write in progress.
/// </remarks>
public sealed unsafe class StatusPage : IDisposable, IStepObserver, Implementations.IImplementationObserver
{
    /// <summary>Largest input, in bytes, the page holds (the binary form of any campaign input fits).</summary>
    public const int InputCapacity = 32 * 1024;

    private const int Magic = 0x46_4D_32_50; // "P2MF"
    private const int MagicAt = 0, PidAt = 4, StateAt = 8, StepAt = 12, LineAt = 16, OpKindAt = 20;
    private const int SerialAt = 24, ExecsAt = 32, StepsAt = 40, FeaturesAt = 48, CorpusAt = 52, InputLengthAt = 56, InputSeqAt = 60;
    private const int MemberAt = 64;
    private const int HeaderBytes = 72;
    private const int BitmapAt = HeaderBytes;
    private const int InputAt = BitmapAt + FeatureSet.WordCount * sizeof(ulong);

    /// <summary>Bytes in a page.</summary>
    public const int Size = InputAt + InputCapacity;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;

    private StatusPage(string path, FileMode mode)
    {
        Path = path;
        using (var stream = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            if (stream.Length < Size) stream.SetLength(Size);
            _file = MemoryMappedFile.CreateFromFile(stream, null, Size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        }
        _view = _file.CreateViewAccessor(0, Size);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>The page's file.</summary>
    public string Path { get; }

    /// <summary>Creates a zeroed page for a child about to start (supervisor side).</summary>
    public static StatusPage Create(string path)
    {
        var page = new StatusPage(path, FileMode.Create);
        new Span<byte>(page._base, Size).Clear();
        Volatile.Write(ref page.Int(MagicAt), Magic);
        return page;
    }

    /// <summary>Opens the page its supervisor created (child side).</summary>
    /// <exception cref="InvalidDataException">The file is not a status page.</exception>
    public static StatusPage Open(string path)
    {
        var page = new StatusPage(path, FileMode.Open);
        if (Volatile.Read(ref page.Int(MagicAt)) != Magic)
        {
            page.Dispose();
            throw new InvalidDataException($"{path}: not a p2mfuzz status page");
        }
        Volatile.Write(ref page.Int(PidAt), Environment.ProcessId);
        return page;
    }

    // ---- child side ---------------------------------------------------------------------------

    /// <summary>Publishes the next input before it runs, and marks the page at step 0 of it.</summary>
    /// <returns>False, publishing an empty input, when it does not fit the page (the serial still moves).</returns>
    public bool PublishInput(ReadOnlySpan<byte> input)
    {
        bool fits = input.Length <= InputCapacity;
        ref int sequence = ref Int(InputSeqAt);
        Volatile.Write(ref sequence, sequence + 1); // odd: being written
        if (fits) input.CopyTo(new Span<byte>(_base + InputAt, InputCapacity));
        Volatile.Write(ref Int(InputLengthAt), fits ? input.Length : 0);
        Volatile.Write(ref sequence, sequence + 1); // even: whole
        BeginInput();
        return fits;
    }

    /// <summary>Marks the start of another input (step 0) without publishing its bytes: the heartbeat.</summary>
    public void BeginInput()
    {
        Volatile.Write(ref Int(StepAt), 0);
        Volatile.Write(ref Int(LineAt), 0);
        Volatile.Write(ref Long(SerialAt), Long(SerialAt) + 1);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Starting(int step, int line, in Op op)
    {
        Int(OpKindAt) = (int)op.Kind;
        Int(LineAt) = line;
        Volatile.Write(ref Int(StepAt), step);
    }

    /// <inheritdoc/>
    public void Running(int member) => Volatile.Write(ref Int(MemberAt), member);

    /// <summary>Publishes the worker's counters.</summary>
    public void SetCounters(long execs, long steps, int corpus)
    {
        Volatile.Write(ref Long(ExecsAt), execs);
        Volatile.Write(ref Long(StepsAt), steps);
        Volatile.Write(ref Int(CorpusAt), corpus);
    }

    /// <summary>Publishes the worker's feature bitmap (when it grew: rare).</summary>
    public void SetFeatures(FeatureSet features)
    {
        features.Words.CopyTo(new Span<ulong>(_base + BitmapAt, FeatureSet.WordCount));
        Volatile.Write(ref Int(FeaturesAt), features.Count);
    }

    /// <summary>What the child is doing, for the supervisor's judgement of silence.</summary>
    public ChildState State
    {
        get => (ChildState)Volatile.Read(ref Int(StateAt));
        set => Volatile.Write(ref Int(StateAt), (int)value);
    }

    // ---- supervisor side ----------------------------------------------------------------------

    /// <summary>The child's process id, once it has opened the page.</summary>
    public int Pid => Volatile.Read(ref Int(PidAt));

    /// <summary>Moves with every input: the heartbeat.</summary>
    public long Serial => Volatile.Read(ref Long(SerialAt));

    /// <summary>The step of the current input being run (1-based), 0 before its first.</summary>
    public int Step => Volatile.Read(ref Int(StepAt));

    /// <summary>The script line of <see cref="Step"/>, 0 for decoded inputs.</summary>
    public int Line => Volatile.Read(ref Int(LineAt));

    /// <summary>The kind of the operation at <see cref="Step"/>.</summary>
    public OpKind OpKind => (OpKind)Volatile.Read(ref Int(OpKindAt));

    /// <summary>Which of several implementations the child is running the input through (0-based; 0 for one).</summary>
    public int Member => Volatile.Read(ref Int(MemberAt));

    /// <summary>Executions the child has done.</summary>
    public long Execs => Volatile.Read(ref Long(ExecsAt));

    /// <summary>Differential steps the child has run.</summary>
    public long Steps => Volatile.Read(ref Long(StepsAt));

    /// <summary>Inputs in the child's corpus.</summary>
    public int CorpusSize => Volatile.Read(ref Int(CorpusAt));

    /// <summary>Features the child has seen.</summary>
    public int FeatureCount => Volatile.Read(ref Int(FeaturesAt));

    /// <summary>Adds the child's features to <paramref name="into"/>.</summary>
    public void AddFeaturesTo(FeatureSet into) => into.UnionWith(new ReadOnlySpan<ulong>(_base + BitmapAt, FeatureSet.WordCount));

    /// <summary>A copy of the input the child published last, whole (never one torn by a write in progress).</summary>
    public byte[] ReadInput()
    {
        // Bounded: a child killed in the middle of a write leaves the sequence odd forever.
        for (int attempt = 0; ; attempt++)
        {
            int before = Volatile.Read(ref Int(InputSeqAt));
            if ((before & 1) != 0 && attempt < 1000) { Thread.Sleep(1); continue; }
            int length = Math.Clamp(Volatile.Read(ref Int(InputLengthAt)), 0, InputCapacity);
            byte[] copy = new ReadOnlySpan<byte>(_base + InputAt, length).ToArray();
            if (Volatile.Read(ref Int(InputSeqAt)) == before || attempt >= 1000) return copy;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int Int(int offset) => ref Unsafe.AsRef<int>(_base + offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Long(int offset) => ref Unsafe.AsRef<long>(_base + offset);

    /// <inheritdoc/>
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}

/// <summary>What a child says it is doing, in its status page.</summary>
public enum ChildState
{
    /// <summary>Started, loading the implementation.</summary>
    Starting,
    /// <summary>Running an input: silence past the timeout is a hang.</summary>
    Running,
    /// <summary>Waiting for its supervisor (a request, or the end of a sync epoch): silence is expected.</summary>
    Waiting,
}
