package io.amply.command;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A bounded, strongly referenced aggregate cache (least recently used out first). Axon's
 * WeakReferenceCache lets the garbage collector drop a hot fund between two commands, and the
 * next command then replays the fund's events again.
 * <p>
 * An aggregate stored while a database transaction is open is forgotten again if that transaction
 * does not commit. Axon evicts it when its own unit of work rolls back, but a command may run inside
 * a transaction that outlives its unit of work (as a donation's request once did, see
 * docs/architecture.md): if that transaction then rolls back, its events were never stored, and the
 * cached aggregate would go on with money that never arrived.
 * <p>
 * Every command takes the cache twice. A large cache is split into stripes by key, each its own
 * LRU under its own lock, so least recently used is per stripe: with one lock, a request thread
 * descheduled while holding it kept the others waiting (JFR under load, 2026-11-27). A small cache
 * stays one exact LRU.
 */
final class LruCache implements Cache {

    static final int STRIPES = 16;
    static final int SMALLEST_STRIPED = STRIPES * 512; // below it, some stripes would overflow before the cache is full

    private final Stripe[] stripes;
    private final CopyOnWriteArrayList<EntryListener> listeners = new CopyOnWriteArrayList<>();

    LruCache(int capacity) {
        int count = capacity >= SMALLEST_STRIPED ? STRIPES : 1;
        this.stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(capacity / count);
        }
    }

    private Stripe stripe(Object key) {
        int hash = key.hashCode();
        return stripes[Math.floorMod(hash ^ (hash >>> 16), stripes.length)];
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) stripe(key).get(key);
    }

    @Override
    public void put(Object key, Object value) {
        forgetIfNotCommitted(key);
        stripe(key).put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        forgetIfNotCommitted(key);
        return stripe(key).putIfAbsent(key, value);
    }

    @Override
    public <T> void computeIfPresent(Object key, UnaryOperator<T> update) {
        forgetIfNotCommitted(key);
        stripe(key).computeIfPresent(key, update);
    }

    @Override
    public boolean remove(Object key) {
        return stripe(key).remove(key);
    }

    @Override
    public void removeAll() {
        for (Stripe stripe : stripes) {
            stripe.removeAll();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return stripe(key).containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void forgetIfNotCommitted(Object key) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status != STATUS_COMMITTED) {
                        remove(key);
                    }
                }
            });
        }
    }

    /** One LRU; listeners are told under its lock, so they see each key's changes in order. */
    private final class Stripe {

        private final Map<Object, Object> entries;

        Stripe(int capacity) {
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                    if (size() > capacity) {
                        listeners.forEach(l -> l.onEntryExpired(eldest.getKey()));
                        return true;
                    }
                    return false;
                }
            };
        }

        synchronized Object get(Object key) {
            return entries.get(key);
        }

        synchronized void put(Object key, Object value) {
            boolean existed = entries.containsKey(key);
            entries.put(key, value);
            listeners.forEach(l -> {
                if (existed) {
                    l.onEntryUpdated(key, value);
                } else {
                    l.onEntryCreated(key, value);
                }
            });
        }

        synchronized boolean putIfAbsent(Object key, Object value) {
            if (entries.containsKey(key)) {
                return false;
            }
            put(key, value);
            return true;
        }

        @SuppressWarnings("unchecked")
        synchronized <T> void computeIfPresent(Object key, UnaryOperator<T> update) {
            T current = (T) entries.get(key);
            if (current != null) {
                T updated = update.apply(current);
                if (updated == null) {
                    remove(key);
                } else {
                    put(key, updated);
                }
            }
        }

        synchronized boolean remove(Object key) {
            if (entries.remove(key) != null) {
                listeners.forEach(l -> l.onEntryRemoved(key));
                return true;
            }
            return false;
        }

        synchronized void removeAll() {
            entries.keySet().forEach(key -> listeners.forEach(l -> l.onEntryRemoved(key)));
            entries.clear();
        }

        synchronized boolean containsKey(Object key) {
            return entries.containsKey(key);
        }
    }
}
