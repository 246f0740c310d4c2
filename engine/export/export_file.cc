// ExportGraphToFile (engine/graph_export.h): an export written to a new
// file beside the target and renamed over it, so that the target is either
// the whole picture or what it was before.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/graph_export.h"

namespace kg {
namespace {

// Creates a new file beside `path` under a fresh name (mkstemp: O_EXCL),
// so that a file or a symbolic link already there under a guessable name
// is never written through. Its permissions are a new file's (0666 less
// the umask), not mkstemp's 0600. Empty on failure (errno set).
std::string NewFileBeside(const std::string& path) {
  std::string name = path + ".kg-export-XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) return "";
  const mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    const int error = errno;
    close(fd);
    unlink(name.c_str());
    errno = error;
    return "";
  }
  close(fd);
  return name;
}

absl::Status CannotWrite(const std::string& path, const std::string& why) {
  return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", why));
}

}  // namespace

absl::Status ExportGraphToFile(Database& db, const ExportOptions& options,
                               const std::string& path,
                               ExportSummary* summary) {
  if (path.empty()) return absl::InvalidArgumentError("no output file named");
  const std::string temporary = NewFileBeside(path);
  if (temporary.empty()) return CannotWrite(path, std::strerror(errno));
  absl::Status status;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      status = CannotWrite(path, std::strerror(errno));
    } else {
      status = ExportGraph(db, options, out, summary);
      out.close();
      if (status.ok() && !out) status = CannotWrite(path, std::strerror(errno));
    }
  }
  std::error_code ec;
  if (status.ok()) {
    std::filesystem::rename(temporary, path, ec);
    if (ec) status = CannotWrite(path, ec.message());
  }
  if (!status.ok()) std::filesystem::remove(temporary, ec);
  return status;
}

}  // namespace kg
