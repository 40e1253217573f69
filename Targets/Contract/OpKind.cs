namespace P2M.Contract;

/// <summary>The operations of the semantics page, one per script word.</summary>
public enum OpKind : byte
{
    /// <summary><c>map gfn mfn nr type</c></summary>
    Map,
    /// <summary><c>unmap gfn nr</c></summary>
    Unmap,
    /// <summary><c>retype gfn nr from to</c></summary>
    Retype,
    /// <summary><c>identity start end</c></summary>
    Identity,
    /// <summary><c>foreign gfn mfn access</c></summary>
    Foreign,
    /// <summary><c>grant-setup frames</c></summary>
    GrantSetup,
    /// <summary><c>grant-map frame gfn</c></summary>
    GrantMap,
    /// <summary><c>lookup gfn</c></summary>
    Lookup,
    /// <summary><c>translate gfn</c>: a guest access through the TLB.</summary>
    Translate,
    /// <summary><c>fail-allocs n</c>: the next n pool allocations fail.</summary>
    FailAllocs,
    /// <summary><c>directmap on|off</c></summary>
    DirectMap,
    /// <summary><c>teardown</c></summary>
    Teardown,
}
