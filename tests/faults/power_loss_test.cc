// Fault injection (fault_cases.h): a simulated power loss at any write or
// sync loses nothing reported durable, and the operation in flight is
// there wholly or not at all.

#include <catch2/catch.hpp>

#include "tests/faults/fault_cases.h"

namespace kg::testing {
namespace {

// ---- power loss ---------------------------------------------------------

// One step of the power-loss loop: what it adds and removes.
struct Step {
  std::string kind;
  QuadSet adds, removes;
  std::function<absl::Status(Database&)> run;
};

// A random step numbered n over the model `have`.
Step RandomStep(int n, const QuadSet& have, std::mt19937_64& rng) {
  const std::string tag = absl::StrCat("n", n);
  Step step;
  const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
  if (have.empty() || pick <= 1) {
    // A load: into an empty store packed blocks, else plain keys.
    const int count = std::uniform_int_distribution<int>(30, 600)(rng);
    const std::string text = Quads(0, count, pick == 1, tag);
    step.kind = have.empty() ? "load into an empty store" : "load";
    step.adds = Lines(text);
    step.run = [text](Database& db) { return Load(db, text); };
  } else if (pick <= 5) {
    const int count = std::uniform_int_distribution<int>(1, 40)(rng);
    const std::string text = Quads(0, count, true, tag);
    step.kind = "transaction";
    step.adds = Lines(text);
    // Remove a few stored quads too (packed ones rewrite their block).
    std::vector<std::string> stored(have.begin(), have.end());
    std::shuffle(stored.begin(), stored.end(), rng);
    for (size_t i = 0; i < stored.size() && i < 5; ++i)
      step.removes.insert(stored[i]);
    step.run = [text, removes = step.removes](Database& db) {
      auto txn = db.BeginTransaction();
      if (!txn.ok()) return txn.status();
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) {
        absl::Status s = (*txn)->Insert(*ParseQuad(line));
        if (!s.ok()) return s;
      }
      for (const std::string& line : removes) {
        absl::Status s = (*txn)->Remove(*ParseQuad(line));
        if (!s.ok()) return s;
      }
      return (*txn)->Commit();
    };
  } else if (pick <= 8) {
    const int count = std::uniform_int_distribution<int>(1, 200)(rng);
    const std::string text = Quads(0, count, false, tag);
    step.kind = "update";
    step.adds = Lines(text);
    step.run = [text](Database& db) {
      return db.Update("INSERT DATA { " + text + " }").status();
    };
  } else {
    step.kind = "compaction";
    step.run = [](Database& db) { return db.Compact(); };
  }
  for (const std::string& q : step.removes) step.adds.erase(q);
  return step;
}

QuadSet Apply(QuadSet have, const Step& step) {
  for (const std::string& q : step.removes) have.erase(q);
  have.insert(step.adds.begin(), step.adds.end());
  return have;
}

struct PowerTally {
  uint64_t losses = 0, steps_verified = 0, in_flight_there = 0,
           in_flight_absent = 0, bytes_dropped = 0, files_dropped = 0;
  uint64_t prefix_lost = 0;  // steps lost without durable commits
};

// Runs rounds of: a fresh store, random steps, the power cut at a random
// write, sync, creation or rename of a random step (or just after it),
// reopen, compare with the model. With durable commits every step
// reported done must be there; without, the store must equal the model
// after some earlier step (a suffix of the steps lost, none in part).
void PowerLossRounds(bool durable, int rounds, uint64_t seed,
                     PowerTally* tally) {
  UseMemoryTemp();
  TempDir dir;
  std::mt19937_64 rng(seed);
  auto fs = std::make_shared<FaultyFileSystem>();
  OpenOptions options = Quiet();
  options.durable_commits = durable;
  for (int round = 0; round < rounds; ++round) {
    const std::string path = dir.file(absl::StrCat("store", round));
    std::vector<QuadSet> states = {QuadSet{}};  // after each step done
    auto db = OpenWithFileSystem(path, options, fs);
    REQUIRE(db.ok());
    // A few steps survive (the store grows across the round's cuts).
    const int cuts = std::uniform_int_distribution<int>(1, 3)(rng);
    int n = 0;
    for (int cut = 0; cut < cuts; ++cut) {
      const int steps = std::uniform_int_distribution<int>(1, 6)(rng);
      std::optional<Step> in_flight;
      for (int i = 0; i < steps; ++i, ++n) {
        Step step = RandomStep(n, states.back(), rng);
        const bool last = i + 1 == steps;
        if (last) {
          // The power goes off at one of this step's file changes (or
          // never, when it makes fewer: then just after it).
          fs->SetRules({FaultRule{
                           .op = FaultOp::kAnyChange,
                           .nth = std::uniform_int_distribution<uint64_t>(
                               1, 60)(rng),
                           .power_off = true}},
                       rng());
        }
        absl::Status s = step.run(**db);
        INFO("round " << round << " step " << n << " (" << step.kind
                      << "): " << s.ToString());
        if (last) {
          fs->ClearRules();
          if (s.ok()) {
            states.push_back(Apply(states.back(), step));
          } else {
            in_flight = step;
          }
        } else {
          REQUIRE(s.ok());
          states.push_back(Apply(states.back(), step));
        }
      }
      const uint64_t dropped = fs->PowerLoss([&] { db->reset(); });
      tally->bytes_dropped += dropped;
      ++tally->losses;
      db = OpenWithFileSystem(path, options, fs);
      INFO("round " << round << ", reopen after the power loss: "
                    << (db.ok() ? "OK" : db.status().ToString()));
      REQUIRE(db.ok());
      const QuadSet have = AllQuads(**db);
      auto problems = (*db)->Check();
      REQUIRE(problems.ok());
      INFO("round " << round << ": " << (problems->empty() ? "" : problems->front()));
      CHECK(problems->empty());
      if (durable) {
        if (have == states.back()) {
          if (in_flight) ++tally->in_flight_absent;
        } else {
          // Only the step in flight may be there, and whole.
          REQUIRE(in_flight.has_value());
          INFO("after " << n << " steps: " << Describe(have, states.back()));
          CHECK(have == Apply(states.back(), *in_flight));
          ++tally->in_flight_there;
          states.push_back(have);
        }
        tally->steps_verified += static_cast<uint64_t>(steps);
      } else {
        // Some prefix of the steps, or that and the one in flight.
        auto at = std::find(states.rbegin(), states.rend(), have);
        const bool in_flight_whole =
            in_flight && have == Apply(states.back(), *in_flight);
        INFO("after " << n << " steps: " << Describe(have, states.back()));
        CHECK((at != states.rend() || in_flight_whole));
        if (in_flight_whole) {
          states.push_back(have);
        } else if (at != states.rend()) {
          tally->prefix_lost += static_cast<uint64_t>(at - states.rbegin());
          states.erase(at.base(), states.end());
        }
        tally->steps_verified += static_cast<uint64_t>(steps);
      }
    }
    db->reset();
    fs::remove_all(path);
  }
  tally->files_dropped = fs->dropped_files();
}

TEST_CASE("after a power loss every durable commit is there and the one in "
          "flight wholly or not at all",
          "[faults]") {
  PowerTally tally;
  PowerLossRounds(/*durable=*/true, 12 * Rounds(), 42, &tally);
  std::cout << "faults: power loss (durable commits): " << tally.losses
            << " power losses, " << tally.steps_verified
            << " steps verified, in flight: " << tally.in_flight_there
            << " there whole, " << tally.in_flight_absent
            << " absent; unsynced bytes dropped: " << tally.bytes_dropped
            << ", unsynced files dropped: " << tally.files_dropped
            << "; 0 losses\n";
}

TEST_CASE("without durable commits a power loss loses only the last steps "
          "and none in part",
          "[faults]") {
  PowerTally tally;
  PowerLossRounds(/*durable=*/false, 6 * Rounds(), 7, &tally);
  std::cout << "faults: power loss (durable_commits = false): "
            << tally.losses << " power losses, " << tally.steps_verified
            << " steps verified, " << tally.prefix_lost
            << " trailing steps lost (allowed), unsynced bytes dropped: "
            << tally.bytes_dropped << "\n";
}

}  // namespace
}  // namespace kg::testing
