using P2M.Fuzz.Implementations.Native;

namespace P2M.Harness.Tests.Plugins;

/// <summary>
/// A sanitizer's report read into a crash finding: the same bug gives the same field however the addresses,
/// the process id and the .NET runtime's frames differ, and the summary reads without an address.
/// </summary>
public sealed class SanitizerReportTests
{
    private static string AsanReport(string pid, string address, string pc) => $"""
        some output of the worker before it
        ={pid}=ERROR: AddressSanitizer: heap-buffer-overflow on address {address} at pc {pc} bp 0x7ffda7ff0590 sp 0x7ffda7fefd60
        WRITE of size 9 at {address} thread T0
            #0 {pc} in __asan_memset (/usr/lib/llvm-16/lib/clang/16/lib/linux/libclang_rt.asan-x86_64.so+0xe64f3) (BuildId: b0fb)
            #1 0x7f9c17f8e19f in split /src/Targets/Native/sample/p2m_sample.c:239:9
            #2 0x7f9c17f89d99 in op_unmap /src/Targets/Native/sample/p2m_sample.c:468:14
            #3 0x7fa0f52a7f6e  (/memfd:doublemapper (deleted)+0x148f6e)

        SUMMARY: AddressSanitizer: heap-buffer-overflow (/usr/lib/llvm-16/lib/clang/16/lib/linux/libclang_rt.asan-x86_64.so+0xe64f3) (BuildId: b0fb) in __asan_memset
        Shadow bytes around the buggy address:
          0x60200000b680: fa fa fd fa fa fa fd fa fa fa fd fa fa fa fd fa
        ={pid}=ABORTING
        """;

    [Fact]
    public void The_same_overflow_gives_the_same_field_and_summary_whatever_the_addresses()
    {
        Assert.True(SanitizerReport.TryRead(AsanReport("17588", "0x60200000bb1c", "0x7f9c1aee64f3"), out string field, out string summary, out string trace));
        Assert.True(SanitizerReport.TryRead(AsanReport("21128", "0x60200000b90f", "0x7fa174270000"), out string again, out string summaryAgain, out _));

        Assert.Equal("addresssanitizer-heap-buffer-overflow", field);
        Assert.Equal(field, again);
        Assert.Equal("AddressSanitizer: heap-buffer-overflow: WRITE of size 9 in split (p2m_sample.c:239)", summary);
        Assert.Equal(summary, summaryAgain);
        // The trace is the report: from its ERROR line, without shadow bytes or frames that name nothing.
        Assert.StartsWith("=17588=ERROR: AddressSanitizer", trace, StringComparison.Ordinal);
        Assert.Contains("in split /src/Targets/Native/sample/p2m_sample.c:239:9", trace);
        Assert.DoesNotContain("Shadow bytes", trace);
        Assert.DoesNotContain("doublemapper", trace);
    }

    [Fact]
    public void A_double_free_is_named_by_its_summary_not_by_the_first_word_of_its_error_line()
    {
        const string report = """
            ==9==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T0:
                #0 0x7f00 in __interceptor_free (/usr/lib/llvm-16/lib/clang/16/lib/linux/libclang_rt.asan-x86_64.so+0xe5f0)
                #1 0x7f01 in meta_free /src/p2m_sample.c:80:5
            SUMMARY: AddressSanitizer: double-free (/usr/lib/llvm-16/lib/clang/16/lib/linux/libclang_rt.asan-x86_64.so+0xe5f0) in __interceptor_free
            """;

        Assert.True(SanitizerReport.TryRead(report, out string field, out string summary, out _));

        Assert.Equal("addresssanitizer-double-free", field);
        Assert.Equal("AddressSanitizer: double-free in meta_free (p2m_sample.c:80)", summary);
    }

    [Fact]
    public void Undefined_behaviour_is_summarised_by_its_runtime_error_and_line()
    {
        const string report = """
            /src/broken_plugin.c:31:19: runtime error: signed integer overflow: 1024 + 2147483647 cannot be represented in type 'int'
            SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/broken_plugin.c:31:19 in
            """;

        Assert.True(SanitizerReport.TryRead(report, out string field, out string summary, out string trace));

        Assert.Equal("undefinedbehaviorsanitizer-undefined-behavior", field);
        Assert.Equal("UndefinedBehaviorSanitizer: undefined-behavior: signed integer overflow: 1024 + 2147483647 cannot be represented in type 'int' (broken_plugin.c:31)", summary);
        Assert.StartsWith("/src/broken_plugin.c:31:19: runtime error", trace, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_without_a_report_is_not_one()
    {
        Assert.False(SanitizerReport.TryRead("Unhandled exception. System.InvalidOperationException: no\n", out _, out _, out _));
    }
}
