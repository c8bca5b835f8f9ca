"""The compiled database's layout: its tables, the indexes made once their rows are in, and the format's number
(a cache of another number is built again). store/build.py fills it (with store/writers.py's writers); store/kb.py
and its bases read it."""

from __future__ import annotations

# the compiled database's layout and rules: 58 the index of file order holding each entity's pack; 57 a build
# read holding its file's lock shared, which a delta changing it where it stands takes alone (a run of the tool
# before, which read it holding nothing, compiles its own); 56
# the points and spots written by a large build's helper (in its file, beside the database), and no index of the
# name keys' first characters (read from their primary key); 55 each search
# row naming its entity's last row too (an entity's rows are read as a range of rows, by no index of their own), and
# no index of the texts by their text (a delta finds the numbers of its texts by one read of the table); 54 name keys
# without their ends and length (indexed as expressions of the key); 53 search rows indexed by entity, and each
# entity's first by kind and id; 52 the entities in the database or beside it, whichever process of a large build
# wrote them; 51 the points and spots in the database, not beside it; 50 the tables a large build's helper writes
# (BESIDE_SCHEMA) left in its file, beside the database, not copied in; 49 a division's short Chinese name searched
# (合肥 for 合肥市); 48 a cluster counted in every region holding a city of it (or a province it is placed in without a
# city), a firm a page places standing only where pages place it, a sector's synonym labelled as one in search; 47
# texts cleaned of direction marks, their line separators made line breaks (sanitize.clean); 46 search texts of the
# sectors an entity's sectors are part of (search semiconductors finds a cluster of IC design); 45 each specialty's
# words with their place in it and the kind and id of the entity it belongs to (a sector's clusters mentioning its
# names are found in the words alone, not each specialty's search row); 44 entities indexed by id alone (a reference
# names an id and a name, not its kind: a view in Chinese finds each one's Chinese name by it); 43 each different
# folded search text held once, numbered, and indexed, and each search row naming its text's number and its entity's
# (a search of one word reads its rows' numbers from an index of each text's rows, not each row by its number); 42 the
# cities each cluster is counted in (near and list read a sector's cities by them); 41 the figures of each series
# (`list series` reads them alone); 40 the entries citing each source (`info` counts them, without reading every
# entry); 39 search texts indexed with two U+FFFD after them, and the index's trigrams listed (a word of one or two
# characters is found by the trigrams it starts, not by reading every text); 38 points with the degree of longitude
# they stand in (near reads a box by its degrees, not its whole band of latitude), and indexed by spot and name (near
# reads the first entities of a spot); 37 each build named in meta (a list kept beside it names the build it was made
# from: store/kept.py); 36 entities indexed in file order (a page of a list reads its rows alone, not every entry of
# the kind sorted); 35 search texts of the places and sectors an entity names in Chinese too (合肥 finds what Hefei
# finds); 34 the single points counted by spot (near counts a spot, not each entity standing there), and points
# indexed by entity; 33 points marked by whether their entity has several (near counts the others without grouping);
# 32 references to an entry joined by same_as follow it, and its id finds the one it joined (rules.repoint); 31 name
# keys cut after folding (textfold.compact); 30 search texts held made simplified too; 29 near's box index holds only
# what measuring reads; 28 points with their entity's name (near orders a tie by it); 27 the specialties' words
# (kb.clusters_mentioning); 26 the specialties' index; 25 points with their unit vectors (near's measure in SQL); 24
# folded entries and delta builds in meta; 23 the trigram index built unmerged; 20 regions by membership; ...
CACHE_FORMAT = 58
# the tables a large build's helper writes (store/build.py), in a file of their own beside the database (attached
# to it as `beside` when it is opened: store/buildfiles.py), or in the database itself when one process built it
BESIDE_SCHEMA = """
CREATE TABLE rel (name TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
                  PRIMARY KEY (name, key, pos)) WITHOUT ROWID;
CREATE TABLE keys (kind TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, stage INTEGER NOT NULL,
                   how TEXT NOT NULL, PRIMARY KEY (kind, key, id)) WITHOUT ROWID;
CREATE TABLE points (kind TEXT NOT NULL, id TEXT NOT NULL, city TEXT NOT NULL, lat REAL NOT NULL,
                     lon REAL NOT NULL, seat TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL,
                     name TEXT NOT NULL, multi INTEGER NOT NULL, cell INTEGER NOT NULL);
CREATE TABLE spots (kind TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, x REAL NOT NULL, y REAL NOT NULL,
                    z REAL NOT NULL, n INTEGER NOT NULL);
"""
META = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"  # both files have one
# the entities themselves, written by whichever process of a large build is free first (store/build.py)
ENTITY_SCHEMA = """
CREATE TABLE entities (kind TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, data TEXT NOT NULL,
                       pack INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
"""
OWN_SCHEMA = f"""{META}
CREATE TABLE search (kind TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, label TEXT NOT NULL,
                     text TEXT NOT NULL, folded TEXT NOT NULL, tid INTEGER NOT NULL, entity INTEGER NOT NULL,
                     last INTEGER NOT NULL, kind_code INTEGER NOT NULL, field_code INTEGER NOT NULL);
CREATE TABLE texts (tid INTEGER PRIMARY KEY, folded TEXT NOT NULL,
                    padded TEXT GENERATED ALWAYS AS (folded || char(65533, 65533)) VIRTUAL);
CREATE TABLE words (word TEXT NOT NULL, row INTEGER NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,
                    id TEXT NOT NULL, PRIMARY KEY (word, row, at)) WITHOUT ROWID;
"""
SCHEMA = OWN_SCHEMA + ENTITY_SCHEMA + BESIDE_SCHEMA  # every table in one database
# made after the rows are in (one sort each, not an index grown row by row). Those of the tables this process
# writes (a large build makes them while its helper still writes its tables): each entity's first search row by
# its kind and id (only those rows: a delta finds an entity's rows by it, the range from that row to the last it
# names). Not every row by kind and id (at 100 times the shipped data, 2.7-3.4 s to build), nor by its entity:
# an entity's rows follow one another, so a search of several words and a delta read them as a range of rows
# (that index took 0.09 s to build at 10x, 1.4 s at 100x);
# the rows naming each text, with the numbers a search of one word reads of them (its entity, kind and field:
# at 100 times the shipped data, 汽车 stands in 2,511 different texts named by 18,304 rows, read from 2,511 runs
# of this index in 21 ms, where looking up each row by its number and reading its texts took 33); no index of
# each different folded text (which a search row also holds, and names by its number): a delta build alone looks
# texts up by their text, and reads the table once to do so (store/textids.py), where the index cost every first
# run 0.06 s at 10x and 1.0 s at 100x;
# the trigrams of every different folded text followed by two U+FFFD (`padded`, computed as it is read, never
# stored), and the index's list of its trigrams (search_vocab): a word of three characters or more is found by
# its own trigrams, and one of one or two by the trigrams it starts (the two give every character of a text
# two after it), not by reading every text (store/searchtext.texts_holding). The trigram index is built with
# FTS5's merging of segments off (its merges during a bulk build cost 30% at 100x, and queries on the built
# index take the same time), and in segments of up to 32 MiB of terms held in memory, not FTS5's 1 MiB: fewer
# segments to merge when a level fills (the 100x build's index in 4.3-4.7 s instead of 5.4-5.5, when it held
# every row's text; a 10x index, 10 MB in all, is built the same either way).
INDEXES = """
CREATE INDEX search_first ON search (kind, id) WHERE entity = rowid;
CREATE INDEX search_text ON search (tid, entity, kind_code, field_code);
CREATE VIRTUAL TABLE search_tri USING fts5(padded, content='texts', content_rowid='tid', tokenize='trigram');
INSERT INTO search_tri (search_tri, rank) VALUES ('automerge', 0);
INSERT INTO search_tri (search_tri, rank) VALUES ('hashsize', 33554432);
INSERT INTO search_tri (search_tri) VALUES ('rebuild');
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_tri, row);
"""
# The entities' (ENTITY_SCHEMA), made by whichever process writes them: in file order, and by id alone, whatever
# their kind (a reference names an id and a name: a view in Chinese reads the Chinese name of each entity it names,
# KB.chinese_names; asked kind by kind instead, by the primary key, the 21,400 a map names at 100 times the shipped
# data took 0.55 s, ten seeks an id). The index of file order holds each entity's pack too: the packs a kind came
# from (KB.packs_holding: a map credits the licence of the cities' seats) and the rows of some packs (a delta's) are
# read from it alone, not from the rows and their JSON (at 100x, the cities' packs in 0.24 s of a 1 s map).
ENTITY_INDEXES = """
CREATE INDEX entities_order ON entities (kind, pos, pack);
CREATE INDEX entities_id ON entities (id);
"""
# Those of the tables a large build's helper writes (BESIDE_SCHEMA). The last character and length of each name a
# close spelling is looked up by (textqueries.close_keys asks by these very expressions, so that SQLite uses the
# index): an index of expressions, not of columns the rows carry (at 10 times the shipped data, the 288,000 keys
# went in in 0.53 s against 0.79 with their first and last characters and length as three more columns). Its first
# character is read from the primary key (a kind's keys starting with one letter are one range of it), not from an
# index of its own: at 100 times the data that index took 2.1-2.2 s to build, and the range read for a near miss
# ('s': 64,096 keys of cities, 3,086 of the lengths asked) takes 7 ms against 2 by the index.
# The points': near's box (an index of what measuring a point reads, so a box is counted and measured from it alone
# and only the points it returns are read from the table: 40% fewer pages than one of every column; led by whether
# the entity has several points, so that those of one point, most of them, are counted without grouping, then by
# the degree of longitude, so that a box is read as a range of latitude in each degree it spans: at 100 times the
# data, near Suzhou's box of 200 km read the 50,400 points of its band of latitude for the 24,000 in it); the
# entities of one point at each spot in the order near cuts a tie (name, then id: points.points_nearest reads the
# first few of a spot from it); and the points of each entity.
HELPER_INDEXES = """
CREATE INDEX keys_tail ON keys (kind, substr(key, -1), length(key));
CREATE INDEX points_box ON points (multi, cell, lat, lon, kind, x, y, z, id);
CREATE INDEX points_spot ON points (multi, kind, lat, lon, name, id);
CREATE INDEX points_entity ON points (kind, id);
CREATE INDEX spots_box ON spots (lat, lon, kind, x, y, z, n);
"""
