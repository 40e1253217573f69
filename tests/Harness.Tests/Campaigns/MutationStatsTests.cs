using System.Text.RegularExpressions;
using P2M.Contract;
using P2M.Coverage;
using P2M.Fuzz.Campaigns;

namespace P2M.Harness.Tests.Campaigns;

/// <summary>Mutation statistics: named mutators, their sequences, per-mutator counts that add up, and per-probe hits.</summary>
public sealed partial class MutationStatsTests
{
    [GeneratedRegex(@"^MS: (\d) (?:([A-Za-z]+)-)+$")]
    private static partial Regex Sequence();

    [Fact]
    public void A_sequence_reads_as_libFuzzer_prints_it()
    {
        Assert.Equal("MS: 2 InsertOp-ChangeArg-", MutatorNames.Sequence([Mutator.InsertOp, Mutator.ChangeArg]));
        Assert.Equal("MS: 1 Generate-", MutatorNames.Sequence([Mutator.Generate]));
        Assert.Equal(MutatorNames.Count, Enum.GetValues<Mutator>().Length);
    }

    [Fact]
    public void Each_mutation_records_the_one_to_four_mutators_it_stacked()
    {
        var random = new FuzzRandom(7);
        var generator = new OpGenerator(random);
        var mutator = new InputMutator(random, generator, maxOps: 32);
        var input = generator.Input([Geometry.Mini], 16);
        var seen = new HashSet<Mutator>();
        for (int i = 0; i < 400; i++)
        {
            mutator.Mutate(input, input);
            Assert.InRange(mutator.LastSequence.Length, 1, InputMutator.MaxRounds);
            foreach (Mutator m in mutator.LastSequence) seen.Add(m);
        }
        // Every mutator but Generate (the worker's, not the mutator's) is drawn.
        Assert.Equal(MutatorNames.Count - 1, seen.Count);
        Assert.DoesNotContain(Mutator.Generate, seen);
    }

    [Fact]
    public void Counts_add_up_and_survive_a_round_trip_through_json()
    {
        var tally = new WorkerTally();
        tally.Mutations.Count([Mutator.Splice, Mutator.Splice, Mutator.EraseOps], added: true, failed: false);
        tally.Mutations.Count([Mutator.EraseOps], added: false, failed: true);
        var map = new CoverageMap();
        map.Hit(Probe.GrantBusy);
        map.Hit(Probe.GrantBusy);
        map.Hit(Probe.ChunkMap, 2);
        tally.Probes.Add(map);
        tally.Probes.Add(map);

        var back = WorkerTally.FromJson(tally.ToJson());
        var rows = back.Mutations.Snapshot().ToDictionary(r => r.Name);
        Assert.Equal(new MutatorStat("Splice", 2, 2, 0), rows["Splice"]);
        Assert.Equal(new MutatorStat("EraseOps", 2, 1, 1), rows["EraseOps"]);
        Assert.Equal(new MutatorStat("ChangeArg", 0, 0, 0), rows["ChangeArg"]);
        var probes = back.Probes.Snapshot();
        Assert.Equal(4, probes[(int)Probe.GrantBusy]);
        Assert.Equal(2, probes[(int)Probe.ChunkMap + 2]);
        Assert.Equal(2, probes.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_campaign_counts_per_mutator_what_its_new_inputs_say(bool inProcess)
    {
        var added = new List<NewCoverage>();
        var campaign = new Campaign(new CampaignOptions { Runs = 1500, Seed = 3, Geometries = [Geometry.Mini], MaxOps = 24, InProcess = inProcess });
        campaign.NewInput += n =>
        {
            lock (added) added.Add(n);
        };
        CampaignResult result = campaign.Run(CancellationToken.None);

        Assert.NotEmpty(added);
        IReadOnlyList<MutatorStat> mutators = result.Final.Mutators ?? throw new Xunit.Sdk.XunitException("no mutator statistics");
        // Every new input's sequence counts once per mutator in it, so the new-input column sums to the sequences' lengths.
        long used = 0;
        foreach (NewCoverage n in added)
        {
            Match match = Sequence().Match(n.Mutation);
            Assert.True(match.Success, n.Mutation);
            int length = int.Parse(match.Groups[1].Value);
            Assert.Equal(length, match.Groups[2].Captures.Count);
            used += length;
        }
        Assert.Equal(used, mutators.Sum(m => m.NewInputs));
        // No seeds: every corpus entry is a new input (two the same are one file, supervised).
        Assert.InRange(result.Final.CorpusSize, 1, added.Count);
        // Every execution that was not a seed was made by the generators or by one to four mutators.
        long generated = mutators.Single(m => m.Name == "Generate").Tries;
        long mutated = mutators.Where(m => m.Name != "Generate").Sum(m => m.Tries);
        Assert.True(generated > 0 && mutated > 0, $"generated {generated}, mutated {mutated}");
        Assert.InRange(generated + mutated, result.Final.Execs, result.Final.Execs * InputMutator.MaxRounds);
        Assert.All(mutators, m => Assert.True(m.NewInputs <= m.Tries, m.ToString()));
        Assert.Equal(0, mutators.Sum(m => m.Findings));
        // The probes were counted: the engine's commonest decision point is there.
        Assert.True(result.Final.Probes?.GetValueOrDefault((int)Probe.ChunkMap) > 0);
    }
}
