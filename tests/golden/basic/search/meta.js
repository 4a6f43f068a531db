digestSearch.load("meta",null,{"common":[],"docs":5,"format":1,"max_word":24,"min_word":2,"per_file":500,"prefix_from":3,"shards":{"":"terms.js"}});
