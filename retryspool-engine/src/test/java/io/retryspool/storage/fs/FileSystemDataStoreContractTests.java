package io.retryspool.storage.fs;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Runs the {@link DataStore} contract against {@link FileSystemDataStore}, each test in a fresh directory. */
class FileSystemDataStoreContractTests extends AbstractDataStoreContractTests {

    @TempDir
    Path directory;

    @Override
    protected DataStore createStore() {
        return new FileSystemDataStore(directory.resolve("bodies"));
    }
}
