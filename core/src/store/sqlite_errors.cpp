#include "store/sqlite_errors.hpp"

#include <sqlite3.h>

namespace baro::store {

Error translate(const SQLite::Exception& e, const std::filesystem::path& database, std::string_view doing) {
  const SourceLocation where{database.string()};
  const std::string context = " while " + std::string(doing);
  switch (e.getErrorCode() & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ExitCode::kBusy, "the database is busy (another baro process is writing to it)" + context, where,
                   "nothing was changed; try again when the other import has finished");
    case SQLITE_READONLY:
      return Error(ExitCode::kCannotCreate, "the database is read-only" + context, where,
                   "check the permissions of the database file and of its folder (SQLite writes -wal and -shm files beside it)");
    case SQLITE_NOTADB:
      return Error(ExitCode::kDataError, "this file is not a SQLite database" + context, where,
                   "name a database made by `baro init`, or a new path");
    case SQLITE_CORRUPT:
      return Error(ExitCode::kDataError, "the database is corrupt" + context, where,
                   "restore it from a backup; `sqlite3 FILE 'PRAGMA integrity_check'` shows the damage");
    case SQLITE_FULL:
      return Error(ExitCode::kIoError, "the disk is full" + context, where,
                   "nothing was changed; free some space and try again");
    case SQLITE_IOERR:
      return Error(ExitCode::kIoError, std::string("an I/O error: ") + e.what() + context, where,
                   "nothing was changed; check the disk and try again");
    case SQLITE_CANTOPEN:
      return Error(ExitCode::kCannotCreate, "cannot open the database" + context, where,
                   "check that its folder exists and is writable");
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Error(ExitCode::kCannotCreate, "permission denied" + context, where, "check the file's permissions");
    default:
      return Error(ExitCode::kInternal, std::string("SQLite error: ") + e.what() + context, where,
                   "this is a bug in Baro; please report it with the command that triggered it");
  }
}

}  // namespace baro::store
